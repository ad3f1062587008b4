DROP INDEX documents_vault_listing;
