ALTER TABLE ledger.accounts ADD COLUMN balance numeric NOT NULL DEFAULT 0;
