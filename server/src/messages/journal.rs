//! The journal in plain words: the usager's sentences ("Qui a vu mes papiers"), the référent's
//! labels, and dates in words.

use super::{fr, Message};

// The usager's journal, "Qui a vu mes papiers": one sentence per entry. `{qui}` is "Vous" or a
// person's name, `{doc}` a document's category in words, `{quand}` the date and time in France.
// Each action has the sentence for the usager themself and the one for someone else.
pub const JOURNAL_LOGIN: (Message, Message) =
    (fr("Vous vous êtes connecté {quand}."), fr("{qui} s'est connecté {quand}."));
pub const JOURNAL_KIT_LOGIN: (Message, Message) = (
    fr("Vous vous êtes connecté avec votre kit de secours {quand}."),
    fr("{qui} s'est connecté avec son kit de secours {quand}."),
);
pub const JOURNAL_KIT_LOGIN_REGISTERED: (Message, Message) = (
    fr("Votre nouveau kit de secours permet de vous connecter depuis {quand} ; les précédents ne le permettent plus."),
    fr("{qui} a enregistré un nouveau kit de secours pour se connecter {quand}."),
);
pub const JOURNAL_PASSKEY_LOGIN: (Message, Message) = (
    fr("Vous vous êtes connecté avec une clé d'accès {quand}."),
    fr("{qui} s'est connecté avec une clé d'accès {quand}."),
);
pub const JOURNAL_PASSKEY_REGISTERED: (Message, Message) =
    (fr("Vous avez ajouté une clé d'accès {quand}."), fr("{qui} a ajouté une clé d'accès {quand}."));
pub const JOURNAL_PASSKEY_REMOVED: (Message, Message) =
    (fr("Vous avez retiré une clé d'accès {quand}."), fr("{qui} a retiré une clé d'accès {quand}."));
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
pub const JOURNAL_RECOVERY_REQUESTED: (Message, Message) = (
    fr("Vous avez demandé à récupérer votre coffre sur un nouvel appareil {quand}."),
    fr("{qui} a demandé à récupérer votre coffre {quand}."),
);
pub const JOURNAL_RECOVERY_CANCELLED: (Message, Message) = (
    fr("Vous avez annulé la demande de récupération de votre coffre {quand}."),
    fr("La demande de récupération de votre coffre a été annulée {quand}."),
);
pub const JOURNAL_RECOVERY_SHARE_FETCHED: (Message, Message) = (
    fr("La part de clé de votre structure a été préparée pour votre récupération {quand}."),
    fr("{qui} a préparé la part de clé de sa structure pour votre récupération {quand}."),
);
pub const JOURNAL_RECOVERY_RELEASED: (Message, Message) = (
    fr("La récupération de votre coffre a été validée {quand}."),
    fr("{qui} a validé la récupération de votre coffre {quand}."),
);
pub const JOURNAL_RECOVERY_COMPLETED: (Message, Message) = (
    fr("Vous avez rouvert votre coffre sur un nouvel appareil {quand}."),
    fr("Votre coffre a été rouvert sur un nouvel appareil {quand}."),
);
pub const JOURNAL_ENROLMENT_CREATED: (Message, Message) = (
    fr("Votre identité a été vérifiée en présence {quand}."),
    fr("{qui} a vérifié votre identité en présence {quand}."),
);
pub const JOURNAL_ENROLMENT_CONFIRMED: (Message, Message) = (
    fr("La vérification de votre identité a été confirmée {quand}."),
    fr("{qui} a confirmé la vérification de votre identité {quand}."),
);
pub const JOURNAL_ENROLMENT_LINK: (Message, Message) = (
    fr("Un lien de connexion à votre compte a été préparé {quand}."),
    fr("{qui} a préparé un lien de connexion à votre compte {quand}."),
);
pub const JOURNAL_ENROLMENT_CLAIMED: (Message, Message) = (
    fr("Vous vous êtes connecté avec le lien remis en présence {quand}."),
    fr("{qui} s'est connecté avec le lien remis en présence {quand}."),
);
pub const JOURNAL_IDENTITY_REPROOFED: (Message, Message) = (
    fr("Vos anciennes façons de vous connecter (kit, téléphone) ont été retirées après la vérification de votre identité {quand}."),
    fr("Les anciennes façons de vous connecter (kit, téléphone) ont été retirées {quand}."),
);
pub const JOURNAL_FRANCECONNECT_LINKED: (Message, Message) = (
    fr("Vous avez relié votre identité FranceConnect à votre compte {quand}."),
    fr("{qui} a relié une identité FranceConnect à votre compte {quand}."),
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
        "organisation.recovery_key_registered" => fr("a enregistré la clé de récupération de la structure"),
        "recovery.share_fetched" => fr("a préparé la part de la structure pour une récupération de coffre"),
        "recovery.released" => fr("a validé une récupération de coffre"),
        "recovery.cancelled" => fr("a annulé une récupération de coffre"),
        "enrolment.created" => fr("a vérifié en présence l'identité d'une personne"),
        "enrolment.confirmed" => fr("a confirmé l'identité d'une personne connue du service"),
        "enrolment.link_issued" => fr("a préparé un lien d'inscription"),
        "auth.access" => fr("s'est vu refuser un accès"),
        _ => fr("a fait une action"),
    }
}
