//! Stable keys in plain words: document categories, démarches, kinds of organisation.

use super::{fr, Message};

/// A document category (the stable key stored in the database) in plain words.
pub fn category_label(key: &str) -> Message {
    match key {
        "identite" => fr("Identité"),
        "domicile" => fr("Domicile"),
        "ressources" => fr("Ressources"),
        "famille" => fr("Famille"),
        "sante" => fr("Santé"),
        "logement" => fr("Logement"),
        "emploi" => fr("Emploi"),
        "droits" => fr("Droits (CAF, CPAM, France Travail, retraite)"),
        "justice" => fr("Justice"),
        "etranger" => fr("Titre de séjour"),
        _ => fr("Autre"),
    }
}

/// A démarche (the purpose of a mandate, stable key) in plain words.
pub fn purpose_label(key: &str) -> Message {
    match key {
        "papiers" => fr("Papiers et citoyenneté (état civil, passeport, élections)"),
        "famille" => fr("Famille (prestations familiales, naissance, union, scolarité)"),
        "social" => fr("Social et santé (RSA, handicap, assurance maladie, retraite)"),
        "travail" => fr("Travail (recherche d'emploi, formation)"),
        "logement" => fr("Logement (aides au logement, logement social)"),
        "transports" => fr("Transports (permis de conduire, certificat d'immatriculation)"),
        "argent" => fr("Argent (impôts, budget, banque)"),
        "justice" => fr("Justice (plainte, casier judiciaire, aide aux victimes)"),
        "etranger" => fr("Étrangers (titre de séjour, naturalisation)"),
        "loisirs" => fr("Loisirs (sport, culture, vacances)"),
        _ => fr("Autre démarche"),
    }
}

/// The kind of an organisation (stable key) in plain words.
pub fn organisation_kind_label(key: &str) -> Message {
    match key {
        "ccas" => fr("Centre communal d'action sociale (CCAS)"),
        "france_services" => fr("France Services"),
        "association" => fr("Association"),
        _ => fr("Structure d'accompagnement"),
    }
}

/// How a usager's identity was established (issue 15), on their account, mandates and
/// attestations. `{aidant}`, `{structure}`, `{date}` ("le 3 mars 2026").
pub const ASSURANCE_IN_PERSON: Message =
    fr("identité vérifiée en présence par {aidant}, {structure}, {date}");
pub const ASSURANCE_FRANCECONNECT: Message = fr("FranceConnect");
/// An account enrolled in person whose check awaits a référent's confirmation.
pub const ASSURANCE_PENDING: Message = fr("identité en attente de confirmation par la structure");
