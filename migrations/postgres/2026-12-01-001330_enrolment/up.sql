-- Issue 15: linking FranceConnect to an account enrolled in person. A login started with
-- `?link=1` by a signed-in usager without a FranceConnect identity remembers that account here;
-- its return attaches the provider's subject to it instead of finding or creating an account.
ALTER TABLE login_requests ADD COLUMN link_user_id TEXT;
