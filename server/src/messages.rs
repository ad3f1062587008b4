//! The catalogue of user-facing text. Every message shown to a person comes from here, keyed by a
//! stable code, so that other languages can be added beside French.

/// Languages the catalogue knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Fr,
}

/// The message for an error code, in plain words.
pub fn error_message(code: &str, lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => fr(code),
    }
}

fn fr(code: &str) -> &'static str {
    match code {
        "not_found" => "Cette page ou ce document n'existe pas.",
        "bad_request" => "La demande est incomplète ou mal formée.",
        "invalid_json" => "Les informations envoyées sont mal formées.",
        "payload_too_large" => "Le fichier ou les informations envoyées sont trop volumineux.",
        "unsupported_media_type" => "Ce type de contenu n'est pas accepté ici.",
        "method_not_allowed" => "Cette action n'est pas possible ici.",
        "service_unavailable" => {
            "Le service est momentanément indisponible. Réessayez dans quelques minutes."
        }
        "not_ready" => "Le service n'est pas prêt : une de ses parties ne répond pas.",
        code if code.starts_with("auth_") || AUTH_CODES.contains(&code) => auth_fr(code),
        code if VAULT_PREFIXES.iter().any(|p| code.starts_with(p)) => vault_fr(code),
        _ => "Une erreur inattendue s'est produite. L'équipe technique a été prévenue.",
    }
}

/// Codes of login, session and second-factor refusals that do not start with `auth_`.
const AUTH_CODES: &[&str] = &[
    "not_authenticated",
    "session_invalid",
    "session_expired",
    "wrong_role",
    "csrf_failed",
    "second_factor_required",
    "totp_not_enrolled",
    "totp_already_enrolled",
    "totp_invalid",
    "totp_code_reused",
    "rate_limited",
];

const LOGIN_FAILED: &str = "La connexion n'a pas pu être vérifiée. Recommencez depuis la page d'accueil.";

fn auth_fr(code: &str) -> &'static str {
    match code {
        "auth_bad_signature" | "auth_alg_none" | "auth_wrong_issuer" | "auth_wrong_audience" | "auth_bad_id_token"
        | "auth_unknown_kid" | "auth_wrong_nonce" => LOGIN_FAILED,
        "auth_bad_userinfo" => "Les informations d'identité reçues n'ont pas pu être vérifiées. Recommencez la connexion.",
        "auth_token_expired" => "La connexion a pris trop de temps. Recommencez depuis la page d'accueil.",
        "auth_bad_state" => "Cette connexion n'a pas été commencée ici, ou elle a expiré. Recommencez depuis la page d'accueil.",
        "auth_code_replayed" => "Cette connexion a déjà été utilisée. Recommencez depuis la page d'accueil.",
        "auth_acr_too_low" => "Ce moyen de connexion n'est pas assez sûr pour Consigne. Choisissez-en un autre.",
        "auth_provider_error" => "Le service de connexion ne répond pas ou a refusé la connexion. Réessayez dans quelques minutes.",
        "auth_provider_disabled" => "Ce moyen de connexion n'est pas proposé ici.",
        "not_authenticated" => "Vous devez vous connecter.",
        "session_invalid" => "Votre session n'est plus valable. Connectez-vous à nouveau.",
        "session_expired" => "Votre session a expiré après un moment sans activité. Connectez-vous à nouveau.",
        "wrong_role" => "Cette page n'est pas accessible avec votre compte.",
        "csrf_failed" => "La demande n'a pas pu être vérifiée. Rechargez la page et recommencez.",
        "second_factor_required" => "Saisissez le code à 6 chiffres de votre application d'authentification.",
        "totp_not_enrolled" => "Vous devez d'abord configurer votre application d'authentification.",
        "totp_already_enrolled" => "Votre application d'authentification est déjà configurée.",
        "totp_invalid" => "Ce code n'est pas le bon. Vérifiez l'heure de votre téléphone et réessayez.",
        "totp_code_reused" => "Ce code a déjà servi. Attendez le code suivant.",
        "rate_limited" => "Trop d'essais. Attendez quelques minutes avant de recommencer.",
        _ => LOGIN_FAILED,
    }
}

const VAULT_PREFIXES: &[&str] = &["vault_", "document_", "share_", "range_"];

fn vault_fr(code: &str) -> &'static str {
    match code {
        "vault_missing" => "Votre coffre n'est pas encore créé.",
        "vault_exists" => "Votre coffre existe déjà.",
        "vault_closing" => "Votre coffre est en cours de fermeture : rien de nouveau ne peut y être déposé.",
        "vault_invalid_recipient" => "La clé publique du coffre est invalide.",
        "vault_invalid_envelope" => "La clé de déverrouillage envoyée est invalide.",
        "vault_last_envelope" => {
            "C'est le dernier moyen d'ouvrir votre coffre : ajoutez-en un autre avant de le retirer."
        }
        "vault_quota_exceeded" => "Votre coffre est plein. Supprimez des documents pour faire de la place.",
        "document_unknown_category" => "Cette catégorie de document n'existe pas.",
        "document_invalid_date" => "La date doit être au format AAAA-MM-JJ.",
        "document_malformed_slot" => "La clé du document est mal formée.",
        "document_duplicate_slot" => "Ce document est déjà ouvert à cette personne ou à ce lien.",
        "document_metadata_too_large" => "Le titre ou les notes du document sont trop longs.",
        "document_malformed_metadata" => "Les informations chiffrées du document sont mal formées.",
        "document_malformed_upload" => "L'envoi du document est mal formé.",
        "document_too_large" => "Ce document est trop volumineux.",
        "document_payload_too_long" => "Le document envoyé est plus gros qu'annoncé.",
        "document_payload_truncated" => "L'envoi du document a été interrompu. Réessayez.",
        "document_checksum_mismatch" => "Le document est arrivé abîmé. Réessayez.",
        "document_integrity_failure" => {
            "Ce document est endommagé sur le serveur. L'équipe technique a été prévenue."
        }
        "document_not_in_bin" => "Ce document n'est pas dans la corbeille.",
        "range_not_satisfiable" => "La partie demandée du document n'existe pas.",
        "share_closed" => "Ce lien de partage a expiré ou a été retiré.",
        _ => "Une erreur inattendue s'est produite. L'équipe technique a été prévenue.",
    }
}
