//! Notices (e-mail and SMS).

use super::{fr, Message};

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
pub const NOTICE_KIT_DEVICE_SUBJECT: Message =
    fr("Consigne : connexion avec votre kit depuis un nouvel appareil");
/// `{quand}`: JOURNAL_WHEN.
pub const NOTICE_KIT_DEVICE_EMAIL: Message =
    fr("Bonjour,\n\nQuelqu'un s'est connecté à votre coffre avec votre kit de secours depuis un nouvel \
     appareil {quand}.\n\nSi ce n'est pas vous, connectez-vous à Consigne, fabriquez un nouveau kit (l'ancien \
     ne permettra plus de se connecter), et prévenez la structure qui vous accompagne.");
pub const NOTICE_KIT_DEVICE_SMS: Message =
    fr("Consigne : connexion avec votre kit depuis un nouvel appareil {quand}. Si ce n'est pas vous, \
     connectez-vous et fabriquez un nouveau kit.");
// Assisted recovery. `{quand}`: JOURNAL_WHEN; `{lien}`: the "ce n'est pas moi" link (its token
// only in the fragment).
pub const NOTICE_RECOVERY_SUBJECT: Message = fr("Consigne : demande de récupération de votre coffre");
pub const NOTICE_RECOVERY_EMAIL: Message =
    fr("Bonjour,\n\nUne demande de récupération de votre coffre a été faite sur un nouvel appareil, avec \
     l'aide de {structure}. Si personne ne l'annule, elle pourra aboutir {quand} au plus tôt.\n\nSi \
     ce n'est pas vous, ouvrez ce lien pour l'annuler :\n{lien}");
pub const NOTICE_RECOVERY_SMS: Message =
    fr("Consigne : une demande de récupération de votre coffre a été faite (au plus tôt {quand}). Si ce \
     n'est pas vous, annulez-la : {lien}");
pub const NOTICE_RECOVERY_REFERENT_SUBJECT: Message =
    fr("Consigne : une personne accompagnée demande à récupérer son coffre");
pub const NOTICE_RECOVERY_REFERENT_EMAIL: Message =
    fr("Bonjour,\n\n{usager} demande à récupérer son coffre avec l'aide de {structure}. La demande pourra \
     être traitée {quand} au plus tôt, si elle n'est pas annulée.\n\nSi vous pensez que ce n'est pas \
     cette personne, ouvrez ce lien pour l'annuler :\n{lien}");
pub const NOTICE_RECOVERY_REFERENT_SMS: Message =
    fr("Consigne : {usager} demande à récupérer son coffre avec {structure} (au plus tôt {quand}). Pour \
     l'annuler : {lien}");
pub const NOTICE_RECOVERY_RELEASED_SUBJECT: Message = fr("Consigne : votre coffre peut être rouvert");
pub const NOTICE_RECOVERY_RELEASED_EMAIL: Message =
    fr("Bonjour,\n\n{structure} a validé la récupération de votre coffre {quand}. Ouvrez Consigne sur \
     votre nouvel appareil pour terminer.\n\nSi ce n'est pas vous, connectez-vous à Consigne et \
     prévenez {structure} sans attendre.");
pub const NOTICE_RECOVERY_RELEASED_SMS: Message =
    fr("Consigne : {structure} a validé la récupération de votre coffre {quand}. Si ce n'est pas vous, \
     prévenez {structure} sans attendre.");
