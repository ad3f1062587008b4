//! What a journal entry records, and how it ended. The texts are stored in the journal and are
//! part of its meaning: never change one, add a new action instead.

use crate::macros::text_enum;

text_enum! {
    pub enum Action {
        // Login, sessions, second factor.
        /// A login (start or return), refused or done.
        Login => "auth.login",
        AccountCreated => "auth.account_created",
        /// Claims changed at the provider; the entry names the fields, never their values.
        ClaimsUpdated => "auth.claims_updated",
        /// A session cookie refused (unknown, ended, expired).
        Session => "auth.session",
        Csrf => "auth.csrf",
        /// A signed-in caller without the role or second factor an action needs.
        Access => "auth.access",
        TotpEnrol => "auth.totp_enrol",
        TotpVerify => "auth.totp_verify",
        Logout => "auth.logout",
        /// An operator invited a future aidant (the entry names the invitation, not the address).
        AidantInvited => "auth.aidant_invited",
        /// A login with the recovery kit's login key (the session's provider is `kit`), refused
        /// or done; the details say whether the browser was a new device.
        KitLogin => "auth.kit_login",
        /// A usager registered the login key of a new recovery kit (older ones revoked with it);
        /// the public key is among the personal details.
        KitLoginRegistered => "auth.kit_login_registered",
        /// A passkey registered (the entry names its id and purpose, never the credential).
        PasskeyRegistered => "auth.passkey_registered",
        PasskeyRemoved => "auth.passkey_removed",
        /// A usager's login with a passkey alone, refused or done.
        PasskeyLogin => "auth.passkey_login",
        /// An aidant's second factor given with a passkey (or a first second-factor passkey
        /// registered before any second factor), refused or done.
        PasskeySecondFactor => "auth.passkey_second_factor",
        // The vault.
        VaultCreated => "vault.created",
        EnvelopeAdded => "vault.envelope_added",
        EnvelopeRetired => "vault.envelope_retired",
        ClosureRequested => "vault.closure_requested",
        ClosureCancelled => "vault.closure_cancelled",
        VaultExported => "vault.exported",
        VaultErased => "vault.erased",
        /// A closed vault's usager erased from the journal (`consigne vault erase`): the entry
        /// counts the entries erased and names no one.
        JournalErased => "journal.erased",
        DocumentUploaded => "document.uploaded",
        VersionAdded => "document.version_added",
        DocumentDownloaded => "document.downloaded",
        DocumentBinned => "document.binned",
        DocumentRestored => "document.restored",
        DocumentPurged => "document.purged",
        /// A stored payload no longer matches what was recorded at upload.
        IntegrityFailure => "document.integrity_failure",
        /// A person registered the public key with which they sign what they add.
        SigningKeyRegistered => "account.signing_key_registered",
        /// A person changed where their notices go; the entry says which fields are set, never
        /// the address or number.
        ContactUpdated => "account.contact_updated",
        ShareCreated => "share.created",
        ShareRevoked => "share.revoked",
        ShareOpened => "share.opened",
        ShareDownloaded => "share.downloaded",
        /// A document's current version replaced by one under a new file key, older payloads
        /// deleted (after a mandate ended: the only cryptographic revocation).
        DocumentReencrypted => "document.reencrypted",
        // Organisations and their members.
        OrganisationCreated => "organisation.created",
        /// A professional chose, after login, the organisation they act for.
        OrganisationChosen => "organisation.chosen",
        MemberInvited => "organisation.member_invited",
        /// An invited person's first login bound their identity: they are habilitated.
        MemberJoined => "organisation.member_joined",
        MemberSuspended => "organisation.member_suspended",
        MemberReinstated => "organisation.member_reinstated",
        /// Removed, with every grant of theirs deleted in the same transaction.
        MemberRemoved => "organisation.member_removed",
        /// A référent revoked an unused invitation: its link no longer works.
        InvitationRevoked => "organisation.invitation_revoked",
        /// A professional registered their account key (the recipient of mandate keys).
        AccountKeyRegistered => "account.key_registered",
        // Mandates.
        MandateProposed => "mandate.proposed",
        MandateConsented => "mandate.consented",
        MandateRefused => "mandate.refused",
        /// The proposing organisation withdrew a proposal before an answer.
        MandateWithdrawn => "mandate.withdrawn",
        MandateRevoked => "mandate.revoked",
        /// Replaced by a new consent for the same usager, organisation and categories.
        MandateSuperseded => "mandate.superseded",
        MandateExpired => "mandate.expired",
        /// The mandate's grants and slots were deleted (it ended, or an aidant was removed).
        MandateKeysCleared => "mandate.keys_cleared",
        /// An aidant fetched their grant (the wrapped mandate key).
        MandateGrantReleased => "mandate.grant_released",
        MandateDocumentsListed => "mandate.documents_listed",
        AttestationIssued => "mandate.attestation_issued",
        /// A usager opened a proposal's link in their own session: it is bound to them.
        MandateClaimed => "mandate.claimed",
        // Attestations of mandates (their issue is recorded by the mandate's own entry).
        /// A party (the usager, an aidant of the organisation) read or printed an attestation.
        AttestationRead => "attestation.read",
        /// Someone opened the verification page with the attestation's QR secret. Best effort:
        /// the first view of a window per attestation is written, carrying the previous window's
        /// count (under the best-effort writer's `previous_window_refusals`).
        AttestationVerified => "attestation.verified",
        // Assisted recovery (the request's id is in the details; never a token or a share).
        /// A référent registered the organisation's recovery key (or added copies of it).
        RecoveryKeyRegistered => "organisation.recovery_key_registered",
        /// A usager asked, after a fresh login, to recover their vault on a new device.
        RecoveryRequested => "recovery.requested",
        /// Cancelled by the usager in their session, or by the "ce n'est pas moi" link.
        RecoveryCancelled => "recovery.cancelled",
        /// A référent fetched the organisation's share of a request past its waiting period.
        RecoveryShareFetched => "recovery.share_fetched",
        /// Both shares released to the new device's ephemeral recipient.
        RecoveryReleased => "recovery.released",
        /// The new device set up its envelopes; the released files are deleted.
        RecoveryCompleted => "recovery.completed",
        // In-person enrolment and re-proofing (issue 15; the proof's id is in the details, never a
        // name, a birth date or place, or a link).
        /// An aidant checked a usager's identity in person: a new account (purpose `enrolment`)
        /// or an existing one (`reproofing`).
        EnrolmentCreated => "enrolment.created",
        /// A référent other than the enrolling aidant confirmed a "personne connue du service".
        EnrolmentConfirmed => "enrolment.confirmed",
        /// A new one-time link was issued (the older one no longer works).
        EnrolmentLinkIssued => "enrolment.link_issued",
        /// The usager opened their one-time link: a session opened (provider `in_person`).
        EnrolmentClaimed => "enrolment.claimed",
        /// A re-proofing was claimed: the account's kit login keys revoked and login passkeys
        /// deleted (the counts are in the details).
        IdentityReproofed => "identity.reproofed",
        /// A usager enrolled in person linked a FranceConnect identity to their account.
        FranceConnectLinked => "identity.franceconnect_linked",
    }
}

text_enum! {
    pub enum Outcome {
        Ok => "ok",
        Refused => "refused",
        /// Something failed on the server's side (an integrity failure).
        Error => "error",
    }
}
