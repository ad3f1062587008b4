//! Queries of notices (e-mail and SMS, issue 11): the delivery queue ([`queue`]), where each
//! person wants their notices ([`contacts`]), and the uses of documents waiting for their daily
//! digest ([`uses`]). The texts are rendered by the server; nothing here composes words.

pub mod contacts;
pub mod queue;
pub mod uses;
