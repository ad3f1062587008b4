DROP TABLE shares;
DROP TABLE vault_envelopes;
