ALTER TABLE login_requests DROP COLUMN link_user_id;
