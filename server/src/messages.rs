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

// General (any endpoint).
pub const UNEXPECTED: Message =
    fr("Une erreur inattendue s'est produite. L'équipe technique a été prévenue.");
pub const NOT_FOUND: Message = fr("Cette page ou ce document n'existe pas.");
pub const BAD_REQUEST: Message = fr("La demande est incomplète ou mal formée.");
pub const INVALID_JSON: Message = fr("Les informations envoyées sont mal formées.");
pub const PAYLOAD_TOO_LARGE: Message = fr("Le fichier ou les informations envoyées sont trop volumineux.");
pub const UNSUPPORTED_MEDIA_TYPE: Message = fr("Ce type de contenu n'est pas accepté ici.");
pub const METHOD_NOT_ALLOWED: Message = fr("Cette action n'est pas possible ici.");
pub const SERVICE_UNAVAILABLE: Message =
    fr("Le service est momentanément indisponible. Réessayez dans quelques minutes.");
pub const NOT_READY: Message = fr("Le service n'est pas prêt : une de ses parties ne répond pas.");

// Login, sessions, second factor.
pub const LOGIN_FAILED: Message =
    fr("La connexion n'a pas pu être vérifiée. Recommencez depuis la page d'accueil.");
pub const LOGIN_BAD_USERINFO: Message =
    fr("Les informations d'identité reçues n'ont pas pu être vérifiées. Recommencez la connexion.");
pub const LOGIN_TOO_SLOW: Message =
    fr("La connexion a pris trop de temps. Recommencez depuis la page d'accueil.");
pub const LOGIN_BAD_TIME: Message = fr(
    "L'heure indiquée par le service de connexion ne correspond pas à la nôtre. Réessayez dans quelques minutes.",
);
pub const LOGIN_BAD_STATE: Message =
    fr("Cette connexion n'a pas été commencée ici, ou elle a expiré. Recommencez depuis la page d'accueil.");
pub const LOGIN_REPLAYED: Message =
    fr("Cette connexion a déjà été utilisée. Recommencez depuis la page d'accueil.");
pub const LOGIN_ACR_TOO_LOW: Message =
    fr("Ce moyen de connexion n'est pas assez sûr pour Consigne. Choisissez-en un autre.");
pub const LOGIN_PROVIDER_ERROR: Message =
    fr("Le service de connexion ne répond pas ou a refusé la connexion. Réessayez dans quelques minutes.");
pub const LOGIN_PROVIDER_DISABLED: Message = fr("Ce moyen de connexion n'est pas proposé ici.");
pub const NOT_AUTHENTICATED: Message = fr("Vous devez vous connecter.");
pub const SESSION_INVALID: Message = fr("Votre session n'est plus valable. Connectez-vous à nouveau.");
pub const SESSION_EXPIRED: Message =
    fr("Votre session a expiré après un moment sans activité. Connectez-vous à nouveau.");
pub const WRONG_ROLE: Message = fr("Cette page n'est pas accessible avec votre compte.");
pub const CSRF_FAILED: Message = fr("La demande n'a pas pu être vérifiée. Rechargez la page et recommencez.");
pub const SECOND_FACTOR_REQUIRED: Message =
    fr("Saisissez le code à 6 chiffres de votre application d'authentification.");
pub const REAUTH_REQUIRED: Message =
    fr("Pour cette action, reconnectez-vous d'abord : c'est une protection au cas où quelqu'un d'autre \
     utiliserait votre session.");
pub const TOTP_NOT_ENROLLED: Message =
    fr("Vous devez d'abord configurer votre application d'authentification.");
pub const TOTP_ALREADY_ENROLLED: Message = fr("Votre application d'authentification est déjà configurée.");
pub const TOTP_INVALID: Message =
    fr("Ce code n'est pas le bon. Vérifiez l'heure de votre téléphone et réessayez.");
pub const TOTP_CODE_REUSED: Message = fr("Ce code a déjà servi. Attendez le code suivant.");
pub const RATE_LIMITED: Message = fr("Trop d'essais. Attendez quelques minutes avant de recommencer.");
pub const AIDANT_NOT_INVITED: Message = fr(
    "Votre compte d'aidant n'existe pas encore : il faut une invitation valable, envoyée à votre adresse \
     électronique. Demandez-en une à votre structure.",
);
pub const LOGIN_NOT_NAVIGATION: Message =
    fr("La connexion doit s'ouvrir dans la page elle-même. Revenez à l'accueil de Consigne et choisissez « me connecter ».");

// The vault.
pub const VAULT_MISSING: Message = fr("Votre coffre n'est pas encore créé.");
pub const VAULT_EXISTS: Message = fr("Votre coffre existe déjà.");
pub const VAULT_CLOSING: Message =
    fr("Votre coffre est en cours de fermeture : rien de nouveau ne peut y être déposé.");
pub const VAULT_INVALID_RECIPIENT: Message = fr("La clé publique du coffre est invalide.");
pub const VAULT_INVALID_ENVELOPE: Message = fr("La clé de déverrouillage envoyée est invalide.");
pub const VAULT_LAST_ENVELOPE: Message =
    fr("C'est le dernier moyen d'ouvrir votre coffre : ajoutez-en un autre avant de le retirer.");
pub const VAULT_QUOTA_EXCEEDED: Message =
    fr("Votre coffre est plein. Supprimez des documents pour faire de la place.");
pub const VAULT_LIMIT_REACHED: Message =
    fr("Vous avez atteint le nombre maximum (de versions de ce document, de liens de partage ou de \
     façons d'ouvrir votre coffre). Supprimez-en avant d'en ajouter.");
pub const DOCUMENT_UNKNOWN_CATEGORY: Message = fr("Cette catégorie de document n'existe pas.");
pub const DOCUMENT_INVALID_DATE: Message = fr("La date doit être au format AAAA-MM-JJ.");
pub const DOCUMENT_MALFORMED_SLOT: Message = fr("La clé du document est mal formée.");
pub const DOCUMENT_DUPLICATE_SLOT: Message = fr("Ce document est déjà ouvert à cette personne ou à ce lien.");
pub const DOCUMENT_METADATA_TOO_LARGE: Message = fr("Le titre ou les notes du document sont trop longs.");
pub const DOCUMENT_MALFORMED_METADATA: Message =
    fr("Les informations chiffrées du document sont mal formées.");
pub const DOCUMENT_MALFORMED_UPLOAD: Message = fr("L'envoi du document est mal formé.");
pub const DOCUMENT_TOO_LARGE: Message = fr("Ce document est trop volumineux.");
pub const DOCUMENT_PAYLOAD_TOO_LONG: Message = fr("Le document envoyé est plus gros qu'annoncé.");
pub const DOCUMENT_PAYLOAD_TRUNCATED: Message = fr("L'envoi du document a été interrompu. Réessayez.");
pub const DOCUMENT_CHECKSUM_MISMATCH: Message = fr("Le document est arrivé abîmé. Réessayez.");
pub const DOCUMENT_BAD_SIGNATURE: Message =
    fr("La signature de ce document ne correspond pas à son contenu : il n'a pas été enregistré.");
pub const DOCUMENT_SIGNER_NOT_ALLOWED: Message =
    fr("La personne qui a signé ce document n'a pas le droit d'écrire dans ce coffre.");
pub const DOCUMENT_MISSING_MANDATE_SLOT: Message =
    fr("Ce document doit aussi être chiffré pour chaque mandat en cours qui couvre sa catégorie. \
     Actualisez la liste des mandats puis réessayez.");
pub const DOCUMENT_STALE_MANDATE_SLOT: Message =
    fr("Ce document est chiffré pour un mandat qui n'est plus en cours ou qui ne couvre pas sa \
     catégorie. Actualisez la liste des mandats puis réessayez.");
pub const DOCUMENT_ID_TAKEN: Message = fr("Cet identifiant de document est déjà pris. Réessayez.");
pub const DOCUMENT_VERSION_CONFLICT: Message =
    fr("Une autre version de ce document vient d'être ajoutée. Rechargez-le puis réessayez.");
pub const SIGNING_KEY_INVALID: Message = fr("La clé de signature envoyée est invalide.");
pub const SIGNING_KEY_CONFLICT: Message = fr("Ce compte a déjà une autre clé de signature.");
pub const DOCUMENT_INTEGRITY_FAILURE: Message =
    fr("Ce document est endommagé sur le serveur. L'équipe technique a été prévenue.");
pub const DOCUMENT_NOT_IN_BIN: Message = fr("Ce document n'est pas dans la corbeille.");
pub const RANGE_NOT_SATISFIABLE: Message = fr("La partie demandée du document n'existe pas.");
pub const SHARE_CLOSED: Message = fr("Ce lien de partage a expiré ou a été retiré.");

// Where notices go (`/api/v1/account/contact`).
pub const CONTACT_INVALID_EMAIL: Message = fr("Cette adresse électronique n'est pas valable.");
pub const CONTACT_INVALID_PHONE: Message =
    fr("Ce numéro n'est pas un numéro de portable français (il commence par 06, 07, +33 6 ou +33 7).");
pub const CONTACT_PHONE_MISSING: Message = fr("Pour recevoir des SMS, indiquez un numéro de portable.");
pub const CONTACT_EMAIL_MISSING: Message =
    fr("Pour recevoir des courriels, indiquez une adresse électronique.");
pub const CONTACT_TOO_MANY_CHANGES: Message =
    fr("Vos coordonnées ont été changées trop souvent aujourd'hui. Réessayez demain.");

// The usager's journal, "Qui a vu mes papiers": one sentence per entry. `{qui}` is "Vous" or a
// person's name, `{doc}` a document's category in words, `{quand}` the date and time in France.
// Each action has the sentence for the usager themself and the one for someone else.
pub const JOURNAL_LOGIN: (Message, Message) =
    (fr("Vous vous êtes connecté {quand}."), fr("{qui} s'est connecté {quand}."));
pub const JOURNAL_LOGOUT: (Message, Message) =
    (fr("Vous vous êtes déconnecté {quand}."), fr("{qui} s'est déconnecté {quand}."));
pub const JOURNAL_ACCOUNT_CREATED: (Message, Message) =
    (fr("Votre compte a été créé {quand}."), fr("Votre compte a été créé par {qui} {quand}."));
pub const JOURNAL_CLAIMS_UPDATED: (Message, Message) = (
    fr("Vos informations d'identité ont été mises à jour {quand}."),
    fr("Vos informations d'identité ont été mises à jour {quand}."),
);
pub const JOURNAL_VAULT_CREATED: (Message, Message) =
    (fr("Vous avez créé votre coffre {quand}."), fr("{qui} a créé votre coffre {quand}."));
pub const JOURNAL_KEY_ADDED: (Message, Message) = (
    fr("Vous avez ajouté une façon d'ouvrir votre coffre {quand}."),
    fr("{qui} a ajouté une façon d'ouvrir votre coffre {quand}."),
);
pub const JOURNAL_KEY_RETIRED: (Message, Message) = (
    fr("Vous avez retiré une façon d'ouvrir votre coffre {quand}."),
    fr("{qui} a retiré une façon d'ouvrir votre coffre {quand}."),
);
pub const JOURNAL_SIGNING_KEY: (Message, Message) = (
    fr("Vous avez enregistré la clé qui signe les documents que vous ajoutez {quand}."),
    fr("{qui} a enregistré sa clé de signature {quand}."),
);
pub const JOURNAL_CONTACT_UPDATED: (Message, Message) = (
    fr("Vous avez changé les coordonnées où Consigne vous prévient {quand}."),
    fr("{qui} a changé ses coordonnées {quand}."),
);
pub const JOURNAL_CLOSURE_REQUESTED: (Message, Message) = (
    fr("Vous avez demandé la fermeture de votre coffre {quand}."),
    fr("{qui} a demandé la fermeture de votre coffre {quand}."),
);
pub const JOURNAL_CLOSURE_CANCELLED: (Message, Message) = (
    fr("Vous avez annulé la fermeture de votre coffre {quand}."),
    fr("{qui} a annulé la fermeture de votre coffre {quand}."),
);
pub const JOURNAL_EXPORTED: (Message, Message) =
    (fr("Vous avez récupéré tous vos papiers {quand}."), fr("{qui} a récupéré tous vos papiers {quand}."));
pub const JOURNAL_UPLOADED: (Message, Message) =
    (fr("Vous avez ajouté {doc} {quand}."), fr("{qui} a ajouté {doc} {quand}."));
pub const JOURNAL_VERSION_ADDED: (Message, Message) =
    (fr("Vous avez remplacé {doc} {quand}."), fr("{qui} a remplacé {doc} {quand}."));
pub const JOURNAL_DOWNLOADED: (Message, Message) =
    (fr("Vous avez ouvert {doc} {quand}."), fr("{qui} a ouvert {doc} {quand}."));
pub const JOURNAL_BINNED: (Message, Message) =
    (fr("Vous avez mis {doc} à la corbeille {quand}."), fr("{qui} a mis {doc} à la corbeille {quand}."));
pub const JOURNAL_RESTORED: (Message, Message) = (
    fr("Vous avez sorti {doc} de la corbeille {quand}."),
    fr("{qui} a sorti {doc} de la corbeille {quand}."),
);
pub const JOURNAL_PURGED: (Message, Message) =
    (fr("Vous avez supprimé {doc} {quand}."), fr("{qui} a supprimé {doc} {quand}."));
pub const JOURNAL_INTEGRITY: (Message, Message) = (
    fr("Un problème a été détecté sur {doc} {quand} : il n'a pas été montré."),
    fr("Un problème a été détecté sur {doc} {quand} : il n'a pas été montré."),
);
pub const JOURNAL_SHARE_CREATED: (Message, Message) = (
    fr("Vous avez créé un lien de partage pour {doc} {quand}."),
    fr("{qui} a créé un lien de partage pour {doc} {quand}."),
);
pub const JOURNAL_SHARE_REVOKED: (Message, Message) = (
    fr("Vous avez fermé un lien de partage de {doc} {quand}."),
    fr("{qui} a fermé un lien de partage de {doc} {quand}."),
);
pub const JOURNAL_SHARE_OPENED: (Message, Message) = (
    fr("Quelqu'un a ouvert votre lien de partage de {doc} {quand}."),
    fr("Quelqu'un a ouvert votre lien de partage de {doc} {quand}."),
);
pub const JOURNAL_SHARE_DOWNLOADED: (Message, Message) = (
    fr("Quelqu'un a téléchargé {doc} avec votre lien de partage {quand}."),
    fr("Quelqu'un a téléchargé {doc} avec votre lien de partage {quand}."),
);
pub const JOURNAL_ATTESTATION_READ: (Message, Message) = (
    fr("Vous avez consulté l'attestation de votre mandat {quand}."),
    fr("{qui} a consulté l'attestation de votre mandat {quand}."),
);
pub const JOURNAL_ATTESTATION_VERIFIED: (Message, Message) = (
    fr("Quelqu'un a vérifié l'attestation de votre mandat avec son code QR {quand}."),
    fr("Quelqu'un a vérifié l'attestation de votre mandat avec son code QR {quand}."),
);
pub const JOURNAL_ATTESTATION_ISSUED: (Message, Message) = (
    fr("L'attestation d'un de vos mandats a été établie {quand}."),
    fr("L'attestation d'un de vos mandats a été établie {quand}."),
);
// Mandates, in the usager's journal ("{qui}" is the aidant or référent who acted).
pub const JOURNAL_MANDATE_PROPOSED: (Message, Message) = (
    fr("Une proposition de mandat vous a été faite {quand}."),
    fr("{qui} vous a proposé un mandat {quand}."),
);
pub const JOURNAL_MANDATE_CLAIMED: (Message, Message) = (
    fr("Vous avez ouvert une proposition de mandat {quand}."),
    fr("{qui} a ouvert une proposition de mandat {quand}."),
);
pub const JOURNAL_MANDATE_CONSENTED: (Message, Message) =
    (fr("Vous avez accepté un mandat {quand}."), fr("Un mandat a commencé {quand}."));
pub const JOURNAL_MANDATE_REFUSED: (Message, Message) = (
    fr("Vous avez refusé une proposition de mandat {quand}."),
    fr("Une proposition de mandat a été refusée {quand}."),
);
pub const JOURNAL_MANDATE_WITHDRAWN: (Message, Message) = (
    fr("Une proposition de mandat a été retirée {quand}."),
    fr("{qui} a retiré sa proposition de mandat {quand}."),
);
pub const JOURNAL_MANDATE_REVOKED: (Message, Message) =
    (fr("Vous avez arrêté un mandat {quand}."), fr("{qui} a arrêté un de vos mandats {quand}."));
pub const JOURNAL_MANDATE_SUPERSEDED: (Message, Message) = (
    fr("Un mandat a été remplacé par le nouveau que vous avez accepté {quand}."),
    fr("Un mandat a été remplacé par un nouveau {quand}."),
);
pub const JOURNAL_MANDATE_EXPIRED: (Message, Message) =
    (fr("Un mandat est arrivé à sa fin {quand}."), fr("Un mandat est arrivé à sa fin {quand}."));
pub const JOURNAL_MANDATE_KEYS_CLEARED: (Message, Message) = (
    fr("Les clés d'un mandat terminé ont été effacées {quand}."),
    fr("Les clés d'un mandat terminé ont été effacées {quand}."),
);
pub const JOURNAL_MANDATE_GRANT: (Message, Message) =
    (fr("Vous avez ouvert un mandat {quand}."), fr("{qui} a ouvert votre mandat sur son poste {quand}."));
pub const JOURNAL_MANDATE_LISTED: (Message, Message) = (
    fr("Vous avez consulté la liste de vos documents {quand}."),
    fr("{qui} a consulté la liste de vos documents {quand}."),
);
pub const JOURNAL_REENCRYPTED: (Message, Message) = (
    fr("Vous avez protégé à nouveau {doc} avec une nouvelle clé {quand}."),
    fr("{qui} a protégé à nouveau {doc} avec une nouvelle clé {quand}."),
);
pub const JOURNAL_REFUSED: (Message, Message) = (
    fr("Une action a été refusée {quand} (votre session ou vos droits ne le permettaient pas)."),
    fr("Une action de {qui} a été refusée {quand}."),
);
pub const JOURNAL_OTHER: (Message, Message) =
    (fr("Une opération a eu lieu sur votre compte {quand}."), fr("{qui} a agi sur votre compte {quand}."));
pub const JOURNAL_A_DOCUMENT: Message = fr("un document");
pub const JOURNAL_DOCUMENT_OF: Message = fr("votre document « {categorie} »");
pub const JOURNAL_SOMEONE: Message = fr("Quelqu'un");

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

/// The months, for dates in words.
pub const MONTHS: [Message; 12] = [
    fr("janvier"),
    fr("février"),
    fr("mars"),
    fr("avril"),
    fr("mai"),
    fr("juin"),
    fr("juillet"),
    fr("août"),
    fr("septembre"),
    fr("octobre"),
    fr("novembre"),
    fr("décembre"),
];
/// `{jour}`, `{mois}`, `{annee}`, `{heure}`, `{minute}`.
pub const JOURNAL_WHEN: Message = fr("le {jour} {mois} {annee} à {heure} h {minute}");

// Organisations and memberships.
pub const ORGANISATION_NOT_CHOSEN: Message =
    fr("Choisissez d'abord la structure pour laquelle vous agissez.");
pub const ORGANISATION_NOT_MEMBER: Message = fr("Vous n'êtes pas membre de cette structure.");
pub const ORGANISATION_MEMBER_SUSPENDED: Message =
    fr("Votre habilitation dans cette structure est suspendue. Contactez votre référent.");
pub const ORGANISATION_NOT_REFERENT: Message =
    fr("Seul un référent de la structure peut faire cette action.");
pub const ORGANISATION_INVALID_SIRET: Message =
    fr("Ce numéro SIRET n'est pas valable : il faut 14 chiffres, sans erreur de frappe.");
pub const ORGANISATION_SIRET_TAKEN: Message = fr("Une structure avec ce numéro SIRET existe déjà.");
pub const ORGANISATION_LAST_REFERENT: Message =
    fr("La structure doit garder au moins un référent en activité. Nommez-en un autre d'abord.");
pub const ACCOUNT_KEY_INVALID: Message = fr("La clé de compte envoyée est invalide.");
pub const ACCOUNT_KEY_CONFLICT: Message =
    fr("Ce compte a déjà une autre clé, ou cette clé est celle d'un autre compte.");

// Mandates.
pub const MANDATE_NOT_IN_FORCE: Message =
    fr("Ce mandat n'est plus en vigueur : il a pris fin ou a été révoqué.");

// The organisation's journal, as its référent reads it: "{qui} {action}", then whose and which.
pub const AUDIT_ABOUT_USAGER: Message = fr("pour {usager}");
pub const AUDIT_DOCUMENT: Message = fr("document « {categorie} »");

/// What an action of a member was, in a few words (the référent's journal).
pub fn audit_action_label(action: &str) -> Message {
    match action {
        "document.downloaded" => fr("a ouvert un document"),
        "document.uploaded" => fr("a ajouté un document"),
        "document.version_added" => fr("a remplacé un document"),
        "mandate.proposed" => fr("a proposé un mandat"),
        "mandate.consented" => fr("a vu son mandat accepté"),
        "mandate.refused" => fr("a vu son mandat refusé"),
        "mandate.withdrawn" => fr("a retiré une proposition de mandat"),
        "mandate.revoked" => fr("a révoqué un mandat"),
        "mandate.grant_released" => fr("a ouvert un mandat sur son poste"),
        "mandate.documents_listed" => fr("a consulté la liste des documents"),
        "organisation.chosen" => fr("a choisi d'agir pour la structure"),
        "organisation.member_invited" => fr("a invité une personne dans la structure"),
        "organisation.member_joined" => fr("a rejoint la structure"),
        "organisation.member_suspended" => fr("a suspendu un membre"),
        "organisation.member_reinstated" => fr("a rétabli un membre"),
        "organisation.member_removed" => fr("a retiré un membre"),
        "organisation.invitation_revoked" => fr("a annulé une invitation"),
        "auth.access" => fr("s'est vu refuser un accès"),
        _ => fr("a fait une action"),
    }
}
// The mandate's life (proposal, consent, revocation).
pub const MANDATE_INVALID_SCOPE: Message =
    fr("Choisissez au moins une catégorie de documents et une démarche parmi celles proposées.");
pub const MANDATE_INVALID_DURATION: Message = fr("Un mandat dure un jour, un mois, six mois ou un an.");
pub const MANDATE_AIDANT_INELIGIBLE: Message =
    fr("Un des aidants choisis n'est pas habilité dans cette structure ou n'a pas encore créé sa clé.");
pub const MANDATE_USAGER_NOT_ACCOMPANIED: Message = fr(
    "Cette personne n'est pas encore accompagnée par votre structure : donnez-lui le lien de la proposition.",
);
pub const MANDATE_ALREADY_ANSWERED: Message =
    fr("Cette proposition de mandat a déjà reçu une réponse ou a été retirée.");
pub const MANDATE_PROPOSAL_EXPIRED: Message =
    fr("Cette proposition de mandat a expiré. Demandez à la structure de vous en faire une nouvelle.");
pub const MANDATE_MALFORMED_GRANT: Message = fr("Une clé de mandat envoyée est mal formée.");
pub const MANDATE_GRANTS_MISMATCH: Message =
    fr("Le mandat doit être confié exactement aux aidants nommés dans la proposition.");
pub const MANDATE_SLOTS_INCOMPLETE: Message =
    fr("Vos documents ont changé pendant que vous signiez le mandat. Réessayez.");
pub const MANDATE_KEY_REUSED: Message = fr("Cette clé de mandat est déjà utilisée. Réessayez.");
pub const MANDATE_NOT_ACTIVE: Message =
    fr("Ce mandat n'est pas en cours : il a déjà pris fin ou n'a jamais été signé.");
/// Said with every recap of a proposal, before the usager consents.
pub const MANDATE_CAN_BE_ENDED: Message = fr("Vous pouvez l'annuler à tout moment.");
// Acting under a mandate (access).
pub const MANDATE_NOT_NAMED: Message =
    fr("Vous n'êtes pas désigné sur ce mandat : seuls les aidants qu'il nomme peuvent agir.");
pub const MANDATE_OUT_OF_SCOPE: Message = fr("Ce mandat ne couvre pas cette catégorie de documents.");
// Notices (e-mail and SMS). Plain words; never a document's name, never a secret: at most the
// link the notice is about. `{structure}` is an organisation's name, `{aidant}` and `{usager}`
// people's names, `{date}` a day in words (NOTICE_DATE), `{lien}` a link. Each kind has a
// subject, an e-mail body (NOTICE_FOOTER is added to it) and an SMS.
/// `{jour}`, `{mois}`, `{annee}`.
pub const NOTICE_DATE: Message = fr("le {jour} {mois} {annee}");
pub const NOTICE_FOOTER: Message = fr(
    "\n\n--\nConsigne, le coffre-fort numérique de vos papiers.\nCe message est envoyé automatiquement : \
     n'y répondez pas.",
);
pub const NOTICE_PROPOSED_SUBJECT: Message = fr("Consigne : {structure} vous propose un mandat");
pub const NOTICE_PROPOSED_EMAIL: Message =
    fr("Bonjour,\n\n{aidant}, de {structure}, vous propose un mandat : avec votre accord, {structure} \
     pourra vous aider dans vos démarches et ouvrir certains de vos papiers.\n\nRien ne commence sans \
     votre accord. Pour lire la proposition et répondre, ouvrez ce lien :\n{lien}\n\nSi vous ne \
     connaissez pas cette structure, ne faites rien : la proposition ne sera pas acceptée.");
pub const NOTICE_PROPOSED_SMS: Message =
    fr("Consigne : {aidant} ({structure}) vous propose un mandat. Rien ne commence sans votre accord. \
     Pour lire et répondre : {lien}");
pub const NOTICE_STARTED_SUBJECT: Message = fr("Consigne : votre mandat avec {structure} a commencé");
pub const NOTICE_STARTED_EMAIL: Message =
    fr("Bonjour,\n\nVotre mandat avec {structure} a commencé. Il prendra fin {date}.\n\nVous pouvez \
     l'arrêter à tout moment dans Consigne, et voir dans « Qui a vu mes papiers » chaque document \
     ouvert.");
pub const NOTICE_STARTED_SMS: Message =
    fr("Consigne : votre mandat avec {structure} a commencé. Il prendra fin {date}. Vous pouvez \
     l'arrêter à tout moment dans Consigne.");
pub const NOTICE_USED_SUBJECT: Message = fr("Consigne : vos papiers ouverts {date}");
/// `{lignes}`: one NOTICE_USED_LINE per aidant.
pub const NOTICE_USED_EMAIL: Message =
    fr("Bonjour,\n\n{lignes}\n\nChaque ouverture est inscrite dans « Qui a vu mes papiers », dans \
     Consigne. Si quelque chose vous étonne, vous pouvez arrêter un mandat à tout moment.");
pub const NOTICE_USED_SMS: Message = fr("Consigne : {lignes} Détails dans « Qui a vu mes papiers ».");
/// `{nombre}`: NOTICE_USED_ONE or NOTICE_USED_MANY.
pub const NOTICE_USED_LINE: Message = fr("{aidant}, {structure}, a ouvert {nombre} {date}.");
pub const NOTICE_USED_ONE: Message = fr("un de vos documents");
/// `{n}`.
pub const NOTICE_USED_MANY: Message = fr("{n} de vos documents");
pub const NOTICE_ENDING_SUBJECT: Message = fr("Consigne : le mandat de {usager} prend fin {date}");
pub const NOTICE_ENDING_EMAIL: Message =
    fr("Bonjour,\n\nLe mandat que {usager} a donné à {structure} prend fin {date}. Après cette date, vous \
     n'aurez plus accès à ses papiers.\n\nSi {usager} a encore besoin d'aide, proposez-lui un nouveau \
     mandat dans Consigne.");
pub const NOTICE_ENDING_SMS: Message =
    fr("Consigne : le mandat de {usager} avec {structure} prend fin {date}. Pour continuer, proposez-lui \
     un nouveau mandat.");
/// `{comment}`: NOTICE_ENDED_EXPIRED or NOTICE_ENDED_REVOKED.
pub const NOTICE_ENDED_EXPIRED: Message = fr("est arrivé à son terme");
pub const NOTICE_ENDED_REVOKED: Message = fr("a été arrêté");
pub const NOTICE_ENDED_SUBJECT: Message = fr("Consigne : un mandat avec {structure} a pris fin");
pub const NOTICE_ENDED_USAGER_EMAIL: Message =
    fr("Bonjour,\n\nVotre mandat avec {structure} {comment} {date} : {structure} n'a plus accès à vos \
     papiers.\n\nCe qui a été ouvert pendant le mandat reste inscrit dans « Qui a vu mes papiers ».");
pub const NOTICE_ENDED_USAGER_SMS: Message = fr(
    "Consigne : votre mandat avec {structure} {comment} {date}. {structure} n'a plus accès à vos papiers.",
);
pub const NOTICE_ENDED_AIDANT_EMAIL: Message =
    fr("Bonjour,\n\nLe mandat de {usager} avec {structure} {comment} {date} : vous n'avez plus accès à ses \
     papiers.");
pub const NOTICE_ENDED_AIDANT_SMS: Message =
    fr("Consigne : le mandat de {usager} avec {structure} {comment} {date}. Vous n'avez plus accès à ses papiers.");
/// `{role}`: NOTICE_ROLE_AIDANT or NOTICE_ROLE_REFERENT.
pub const NOTICE_INVITATION_SUBJECT: Message = fr("Consigne : invitation à rejoindre {structure}");
pub const NOTICE_INVITATION_EMAIL: Message = fr(
    "Bonjour,\n\nVous êtes invité à utiliser Consigne en tant que {role} de {structure}. Pour créer votre \
     compte, ouvrez ce lien (une seule fois, jusqu'au {date}) :\n{lien}\n\nSi vous n'attendiez pas \
     cette invitation, ignorez ce message.",
);
pub const NOTICE_INVITATION_SMS: Message =
    fr("Consigne : vous êtes invité à rejoindre {structure} en tant que {role}. Pour créer votre compte \
     (une seule fois, jusqu'au {date}) : {lien}");
pub const NOTICE_ROLE_AIDANT: Message = fr("aidant");
pub const NOTICE_ROLE_REFERENT: Message = fr("référent");
pub const NOTICE_CONTACT_SUBJECT: Message = fr("Consigne : vos coordonnées ont changé");
/// `{quand}`: JOURNAL_WHEN.
pub const NOTICE_CONTACT_EMAIL: Message =
    fr("Bonjour,\n\nLes coordonnées où Consigne vous prévient ont été modifiées {quand}.\n\nSi ce n'est \
     pas vous, connectez-vous à Consigne pour les vérifier, et prévenez la structure qui vous \
     accompagne.");
pub const NOTICE_CONTACT_SMS: Message =
    fr("Consigne : les coordonnées où nous vous prévenons ont été modifiées {quand}. Si ce n'est pas \
     vous, connectez-vous pour les vérifier.");
