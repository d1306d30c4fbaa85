CREATE TABLE ledger.entries (
    account_id text    NOT NULL REFERENCES ledger.accounts,
    amount     numeric NOT NULL
);
