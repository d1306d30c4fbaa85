-- A test schema: accounts, then their entries, then a column filled from the entries.
CREATE TABLE ledger.accounts (
    account_id text PRIMARY KEY
);
