DROP TABLE journal_shipping;
