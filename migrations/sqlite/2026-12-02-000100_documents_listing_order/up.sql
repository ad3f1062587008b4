-- A vault's listing walks its documents newest first (ids are UUID v7, so in creation order) and
-- stops at the page's end; with only (vault_id, category), every listing read and sorted all of
-- the vault's documents (issue 14's profile: the listing's query was the server's largest cost on
-- SQLite).
CREATE INDEX documents_vault_listing ON documents (vault_id, id);
