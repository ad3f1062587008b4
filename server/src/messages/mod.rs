//! The catalogue of user-facing text. Every message shown to a person is a constant here, with
//! one text per language, so that adding a language is adding a field (the compiler then lists
//! every text still to translate). Refusal tables name these constants; nothing else writes
//! user-facing words.

/// Languages the catalogue knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Fr,
}

/// One message, in every language of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Message {
    fr: &'static str,
}

impl Message {
    pub const fn text(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Fr => self.fr,
        }
    }
}

const fn fr(text: &'static str) -> Message {
    Message { fr: text }
}

mod attestations;
mod journal;
mod labels;
mod notices;
mod refusals;

pub use attestations::*;
pub use journal::*;
pub use labels::*;
pub use notices::*;
pub use refusals::*;
