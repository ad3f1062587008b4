//! Who reads or writes a vault, and what they see: the vault's owner (everything, their own
//! slot), or an aidant under a mandate in force (the mandate's categories only, the mandate key's
//! slot, every access journaled with the mandate). The vault's read and upload functions take
//! this context, so that the owner and an aidant go through the same code.
//!
//! The mandate in the context was found in force by `mandates::access` on this request; the
//! rules that matter again later in the request (who may sign, [`super::may_write`]) check it
//! again against the time.

use super::Vault;
use crate::journal::{Action, Actor, Entry};
use crate::mandates::Mandate;

#[derive(Debug, Clone)]
pub struct Access {
    pub vault: Vault,
    /// Who acts, as journaled (an aidant with their organisation).
    pub actor: Actor,
    /// Whose slot is returned with each version: the usager's, or the mandate key's.
    pub recipient: String,
    /// The mandate acted under, if not the owner.
    pub mandate: Option<Mandate>,
}

impl Access {
    /// The usager in their own vault.
    pub fn owner(vault: Vault) -> Self {
        Self { actor: vault.owner(), recipient: vault.recipient.clone(), vault, mandate: None }
    }

    /// An aidant (`actor`, with their organisation) under `mandate`, whose key is `recipient`.
    pub fn under_mandate(vault: Vault, actor: Actor, mandate: Mandate, recipient: String) -> Self {
        Self { vault, actor, recipient, mandate: Some(mandate) }
    }

    /// Whether documents of `category` are visible.
    pub fn sees(&self, category: &str) -> bool {
        self.mandate.as_ref().is_none_or(|m| m.covers(category))
    }

    /// The categories visible, or `None` for all of them.
    pub fn within(&self) -> Option<Vec<String>> {
        self.mandate.as_ref().map(|m| m.categories.clone())
    }

    /// Whether each version served must have a slot for [`Access::recipient`]: under a mandate,
    /// a version its key cannot open is not served at all.
    pub fn needs_slot(&self) -> bool {
        self.mandate.is_some()
    }

    /// A journal entry of `action` by this actor, about the vault's usager (and the mandate).
    pub fn entry(&self, action: Action) -> Entry {
        let entry = Entry::new(action).by(self.actor.clone()).about(&self.vault.usager);
        match &self.mandate {
            Some(m) => entry.mandate(&m.id),
            None => entry,
        }
    }
}
