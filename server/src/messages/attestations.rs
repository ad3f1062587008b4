//! The words of mandate attestations.

use super::{fr, Message};

// Attestations of mandates.
pub const ATTESTATION_UNAVAILABLE: Message = fr(
    "Les attestations ne peuvent pas être signées ni vérifiées sur ce serveur pour le moment. Réessayez plus tard.",
);
/// The status of an attestation's mandate; `{date}` is a time in words ("le 3 mars 2026 à …").
pub const ATTESTATION_VALID: Message = fr("Valide — le mandat est en cours.");
pub const ATTESTATION_REVOKED: Message = fr("Révoquée — le mandat a pris fin {date}.");
pub const ATTESTATION_SUPERSEDED: Message = fr("Remplacée — un nouveau mandat a remplacé celui-ci {date}.");
pub const ATTESTATION_EXPIRED: Message = fr("Expirée — le mandat a pris fin {date}, à son terme.");
pub const ATTESTATION_TITLE_CREATION: Message = fr("Attestation de mandat");
pub const ATTESTATION_TITLE_REVOCATION: Message = fr("Attestation de fin de mandat");
/// `{date}` in words, `{how}` one of the four below.
pub const ATTESTATION_ENDED: Message = fr("Le mandat a pris fin {date} : {how}.");
pub const ATTESTATION_ENDED_SUPERSEDED: Message = fr("remplacé par un nouveau mandat");
pub const ATTESTATION_ENDED_BY_USAGER: Message = fr("révoqué par la personne accompagnée");
pub const ATTESTATION_ENDED_BY_AIDANT: Message = fr("révoqué par {qui}, pour la structure");
pub const ATTESTATION_ENDED_REVOKED: Message = fr("révoqué");
pub const ATTESTATION_ONE_DAY: Message = fr("1 jour");
pub const ATTESTATION_DAYS: Message = fr("{n} jours");
pub const ATTESTATION_QR_LABEL: Message = fr("Code QR de vérification de l'attestation");
