//! Queries of organisations and the people who act for them: the organisation rows (and their
//! lock), memberships (aidant or référent, suspended or not), and professionals' account keys (the
//! age recipient mandate keys are wrapped to).

pub mod account_keys;
pub mod memberships;
pub mod organisation;
