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
