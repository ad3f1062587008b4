//! Who someone is in Consigne. Stored as text in `users.role`, `sessions.provider` and the
//! journal's `actor_role`; each role signs in with its own provider (usagers with FranceConnect,
//! aidants with a professional provider and a second factor).

use crate::macros::text_enum;

text_enum! {
    pub enum Role {
        /// Owns a vault.
        Usager => "usager",
        /// Acts for usagers under a mandate, in an organisation.
        Aidant => "aidant",
    }
}
