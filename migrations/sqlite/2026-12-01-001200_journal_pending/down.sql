DROP TABLE journal_pending;
