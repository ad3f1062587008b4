//! Refusals of every domain, as people read them (each table names its constants here).

use super::{fr, Message};

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
pub const PASSKEY_CHALLENGE_UNKNOWN: Message =
    fr("Cette demande de connexion a expiré ou a déjà servi. Recommencez.");
pub const PASSKEY_REFUSED: Message =
    fr("Cette clé d'accès n'a pas été reconnue. Recommencez, ou utilisez un autre moyen de connexion.");
pub const PASSKEY_INVALID: Message =
    fr("La clé d'accès n'a pas pu être enregistrée. Recommencez depuis cette page.");
pub const PASSKEY_ALREADY_REGISTERED: Message = fr("Cette clé d'accès est déjà enregistrée.");
pub const PASSKEY_WRONG_PURPOSE: Message = fr("Ce type de clé d'accès n'est pas prévu pour votre compte.");
pub const PASSKEY_NONE: Message =
    fr("Vous n'avez pas encore de clé d'accès : utilisez votre application d'authentification.");
pub const PASSKEY_NOT_FOUND: Message = fr("Cette clé d'accès n'existe pas ou a déjà été retirée.");
pub const LAST_WAY_IN: Message = fr(
    "C'est votre dernier moyen de vous connecter : ajoutez-en un autre (clé d'accès, kit, FranceConnect) avant de retirer celui-ci.",
);
pub const RATE_LIMITED: Message = fr("Trop d'essais. Attendez quelques minutes avant de recommencer.");
pub const AIDANT_NOT_INVITED: Message = fr(
    "Votre compte d'aidant n'existe pas encore : il faut une invitation valable, envoyée à votre adresse \
     électronique. Demandez-en une à votre structure.",
);
pub const LOGIN_NOT_NAVIGATION: Message =
    fr("La connexion doit s'ouvrir dans la page elle-même. Revenez à l'accueil de Consigne et choisissez « me connecter ».");
pub const KIT_KEY_INVALID: Message =
    fr("Le kit de secours n'a pas pu être enregistré comme moyen de connexion. Recommencez.");
pub const KIT_KEY_TAKEN: Message =
    fr("Ce kit de secours est déjà enregistré pour un autre compte. Fabriquez un nouveau kit.");
pub const KIT_CHALLENGE_UNKNOWN: Message =
    fr("Cette connexion a expiré ou a déjà servi. Recommencez la connexion avec votre kit.");
pub const KIT_LOGIN_REFUSED: Message = fr(
    "Ce code ne permet pas de se connecter. Vérifiez-le, ou utilisez votre kit de secours le plus récent.",
);

// The vault.
pub const VAULT_MISSING: Message = fr("Votre coffre n'est pas encore créé.");
pub const VAULT_EXISTS: Message = fr("Votre coffre existe déjà.");
pub const VAULT_CLOSING: Message =
    fr("Votre coffre est en cours de fermeture : rien de nouveau ne peut y être déposé.");
pub const VAULT_ERASURE_NOT_CLOSED: Message = fr(
    "Ce coffre n'est pas fermé : ses données ne peuvent être effacées du journal qu'une fois sa fermeture terminée.",
);
pub const VAULT_ERASURE_UNKNOWN: Message =
    fr("Aucun coffre fermé ne porte ce numéro, ou ses données ont déjà été effacées du journal.");
pub const VAULT_ERASURE_USAGER_RETURNED: Message =
    fr("La personne a rouvert un coffre depuis : son journal reste le sien, il n'est pas effacé.");
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

// Assisted recovery.
pub const RECOVERY_UNAVAILABLE: Message = fr(
    "Votre coffre n'a pas de récupération accompagnée : une structure ne peut pas vous aider à le rouvrir. \
     Utilisez votre kit de secours.",
);
pub const RECOVERY_ALREADY_PENDING: Message =
    fr("Une demande de récupération est déjà en cours pour votre coffre. Vous pouvez l'annuler.");
pub const RECOVERY_INVALID_RECIPIENT: Message = fr("La clé du nouvel appareil envoyée est invalide.");
pub const RECOVERY_NOT_PENDING: Message = fr("Aucune demande de récupération n'est en cours à cette étape.");
pub const RECOVERY_CANCELLED: Message = fr("Cette demande de récupération a été annulée.");
pub const RECOVERY_TOO_EARLY: Message =
    fr("Le délai d'attente de cette demande de récupération n'est pas encore écoulé.");
pub const RECOVERY_INVALID_SHARE: Message = fr("La part de clé envoyée est invalide.");
pub const RECOVERY_KEY_INVALID: Message =
    fr("La clé de récupération envoyée est invalide (clé, copies chiffrées, ou une copie pour une personne \
     qui n'est pas référent de la structure).");
pub const RECOVERY_KEY_IN_USE: Message =
    fr("La structure a déjà une autre clé de récupération, dont dépendent des coffres : elle ne peut pas \
     être remplacée tant qu'ils en dépendent.");

// In-person enrolment and re-proofing.
pub const ENROLMENT_AWAITING_CONFIRMATION: Message =
    fr("Cette inscription attend la confirmation d'un autre référent de la structure (personne connue du \
     service) : pas de lien avant.");
pub const ENROLMENT_LINK_UNKNOWN: Message =
    fr("Ce lien d'inscription ne fonctionne pas : il a déjà servi, il a expiré, ou il a été remplacé. \
     Demandez-en un nouveau à la personne qui vous a inscrit.");
pub const ENROLMENT_SELF_CONFIRMATION: Message =
    fr("Vous avez fait cette inscription : un autre référent de la structure doit la confirmer.");
pub const ENROLMENT_NOT_AWAITING: Message =
    fr("Cette inscription n'attend pas de confirmation (déjà confirmée, ou vérifiée sur un document).");
pub const ENROLMENT_ALREADY_CLAIMED: Message =
    fr("Cette inscription a déjà servi : la personne s'est connectée avec son lien.");
pub const ENROLMENT_IDENTITY_MISMATCH: Message =
    fr("Le nom ou la date de naissance saisis ne sont pas ceux du compte : la vérification d'identité ne \
     peut pas être enregistrée.");
pub const IDENTITY_ALREADY_LINKED: Message = fr(
    "Cette identité FranceConnect est déjà celle d'un autre compte Consigne : elle ne peut pas être reliée \
     au vôtre.",
);
pub const IDENTITY_LINK_UNAVAILABLE: Message = fr(
    "Relier FranceConnect n'est possible que connecté, pour un compte inscrit en présence qui n'a pas encore \
     d'identité FranceConnect.",
);
