DROP TABLE notice_uses;
DROP TABLE notice_contacts;
DROP TABLE notices;
