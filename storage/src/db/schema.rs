//! Diesel table definitions, shared by both backends (see migrations/postgres and migrations/sqlite).

diesel::table! {
    organisations (id) {
        id -> Text,
        siret -> Text,
        name -> Text,
        recovery_recipient -> Nullable<Text>,
        created_at -> BigInt,
        kind -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        role -> Text,
        organisation_id -> Nullable<Text>,
        subject_hash -> Text,
        given_name -> Text,
        family_name -> Text,
        preferred_username -> Nullable<Text>,
        birthdate -> Nullable<Text>,
        gender -> Nullable<Text>,
        birthplace -> Nullable<Text>,
        birthcountry -> Nullable<Text>,
        email -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
        identity_source -> Text,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        token_hash -> Text,
        user_id -> Text,
        created_at -> BigInt,
        last_seen_at -> BigInt,
        expires_at -> BigInt,
        second_factor_at -> Nullable<BigInt>,
        ended_at -> Nullable<BigInt>,
        provider -> Text,
        id_token_enc -> Nullable<Text>,
        organisation_id -> Nullable<Text>,
    }
}

diesel::table! {
    login_requests (id) {
        id -> Text,
        state_hash -> Text,
        provider -> Text,
        nonce -> Text,
        pkce_verifier -> Text,
        created_at -> BigInt,
        expires_at -> BigInt,
        consumed_at -> Nullable<BigInt>,
        invitation_hash -> Nullable<Text>,
        previous_session_hash -> Nullable<Text>,
        link_user_id -> Nullable<Text>,
    }
}

diesel::table! {
    aidant_invitations (id) {
        id -> Text,
        token_hash -> Text,
        email -> Text,
        created_at -> BigInt,
        expires_at -> BigInt,
        used_at -> Nullable<BigInt>,
        account_id -> Nullable<Text>,
        organisation_id -> Nullable<Text>,
        role -> Text,
        invited_by -> Nullable<Text>,
    }
}

diesel::table! {
    rate_counters (bucket, window_start) {
        bucket -> Text,
        window_start -> BigInt,
        count -> BigInt,
    }
}

diesel::table! {
    totp_secrets (user_id) {
        user_id -> Text,
        secret_enc -> Text,
        confirmed_at -> Nullable<BigInt>,
        last_used_step -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    vaults (id) {
        id -> Text,
        usager_id -> Text,
        recipient -> Text,
        quota_bytes -> BigInt,
        created_at -> BigInt,
        closure_requested_at -> Nullable<BigInt>,
        closed_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    documents (id) {
        id -> Text,
        vault_id -> Text,
        category -> Text,
        expires_on -> Nullable<Text>,
        current_version_id -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
        binned_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    document_versions (id) {
        id -> Text,
        document_id -> Text,
        vault_id -> Text,
        version -> Integer,
        state -> Text,
        blob_key -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        metadata -> Binary,
        created_at -> BigInt,
        signature -> Nullable<Binary>,
        signer_id -> Nullable<Text>,
        signed_recipients -> Nullable<Text>,
        signer_organisation_id -> Nullable<Text>,
    }
}

diesel::table! {
    signing_keys (user_id) {
        user_id -> Text,
        public_key -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    document_slots (id) {
        id -> Text,
        version_id -> Text,
        recipient_kind -> Text,
        recipient -> Text,
        header -> Binary,
        created_at -> BigInt,
        mandate_id -> Nullable<Text>,
    }
}

diesel::table! {
    vault_envelopes (id) {
        id -> Text,
        vault_id -> Text,
        kind -> Text,
        label -> Text,
        envelope -> Binary,
        organisation_id -> Nullable<Text>,
        organisation_share -> Nullable<Binary>,
        server_share -> Nullable<Binary>,
        created_at -> BigInt,
    }
}

diesel::table! {
    shares (id) {
        id -> Text,
        token_hash -> Text,
        vault_id -> Text,
        document_id -> Text,
        version_id -> Text,
        slot_id -> Text,
        created_at -> BigInt,
        expires_at -> BigInt,
        max_downloads -> Nullable<Integer>,
        downloads -> Integer,
        revoked_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    journal (seq) {
        seq -> BigInt,
        at -> BigInt,
        actor_user_id -> Nullable<Text>,
        actor_organisation_id -> Nullable<Text>,
        actor_role -> Nullable<Text>,
        action -> Text,
        subject_usager_id -> Nullable<Text>,
        subject_document_id -> Nullable<Text>,
        subject_mandate_id -> Nullable<Text>,
        subject_share_id -> Nullable<Text>,
        outcome -> Text,
        details -> Text,
        prev_hash -> Text,
        hash -> Text,
        commitments -> Nullable<Text>,
        personal_details -> Nullable<Text>,
        request_id -> Nullable<Text>,
    }
}

diesel::table! {
    journal_pending (id) {
        id -> BigInt,
        at -> BigInt,
        actor_user_id -> Nullable<Text>,
        actor_organisation_id -> Nullable<Text>,
        actor_role -> Nullable<Text>,
        action -> Text,
        subject_usager_id -> Nullable<Text>,
        subject_document_id -> Nullable<Text>,
        subject_mandate_id -> Nullable<Text>,
        subject_share_id -> Nullable<Text>,
        outcome -> Text,
        details -> Text,
        personal_details -> Nullable<Text>,
        request_id -> Nullable<Text>,
    }
}

diesel::table! {
    journal_person_keys (person_id) {
        person_id -> Text,
        key_hex -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    journal_erasure_permits (usager_id) {
        usager_id -> Text,
        txid -> BigInt,
    }
}

diesel::table! {
    journal_checkpoints (seq) {
        seq -> BigInt,
        head_hash -> Text,
        at -> BigInt,
        note -> Text,
    }
}

diesel::table! {
    journal_shipping (sink) {
        sink -> Text,
        shipped_seq -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    memberships (organisation_id, user_id) {
        organisation_id -> Text,
        user_id -> Text,
        role -> Text,
        created_at -> BigInt,
        suspended_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    account_keys (user_id) {
        user_id -> Text,
        recipient -> Text,
        envelope -> Binary,
        created_at -> BigInt,
    }
}

diesel::table! {
    mandates (id) {
        id -> Text,
        organisation_id -> Text,
        proposed_by -> Text,
        usager_id -> Nullable<Text>,
        claim_hash -> Text,
        categories -> Text,
        purposes -> Text,
        duration_days -> Integer,
        state -> Text,
        recipient -> Nullable<Text>,
        proposed_at -> BigInt,
        consented_at -> Nullable<BigInt>,
        expires_at -> Nullable<BigInt>,
        ended_at -> Nullable<BigInt>,
        ended_by -> Nullable<Text>,
        keys_cleared_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    mandate_aidants (mandate_id, aidant_id) {
        mandate_id -> Text,
        aidant_id -> Text,
        wrapped_key -> Nullable<Binary>,
    }
}

diesel::table! {
    attestations (id) {
        id -> Text,
        mandate_id -> Text,
        kind -> Text,
        content -> Text,
        signature -> Text,
        secret_hash -> Text,
        secret_enc -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    organisation_recovery_keys (organisation_id, user_id) {
        organisation_id -> Text,
        user_id -> Text,
        recipient -> Text,
        wrapped -> Binary,
        created_at -> BigInt,
    }
}

diesel::table! {
    recovery_requests (id) {
        id -> Text,
        vault_id -> Text,
        usager_id -> Text,
        envelope_id -> Text,
        organisation_id -> Text,
        recipient -> Text,
        state -> Text,
        cancel_hash -> Text,
        requested_at -> BigInt,
        release_at -> BigInt,
        cancelled_at -> Nullable<BigInt>,
        cancelled_by -> Nullable<Text>,
        released_at -> Nullable<BigInt>,
        completed_at -> Nullable<BigInt>,
        organisation_file -> Nullable<Binary>,
        server_file -> Nullable<Binary>,
    }
}

diesel::joinable!(users -> organisations (organisation_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(totp_secrets -> users (user_id));
diesel::joinable!(signing_keys -> users (user_id));
diesel::joinable!(vaults -> users (usager_id));
diesel::joinable!(documents -> vaults (vault_id));
diesel::joinable!(document_versions -> documents (document_id));
diesel::joinable!(document_slots -> document_versions (version_id));
diesel::joinable!(vault_envelopes -> vaults (vault_id));
diesel::joinable!(memberships -> organisations (organisation_id));
diesel::joinable!(memberships -> users (user_id));
diesel::joinable!(account_keys -> users (user_id));
diesel::joinable!(mandates -> organisations (organisation_id));
diesel::joinable!(mandate_aidants -> mandates (mandate_id));
diesel::joinable!(attestations -> mandates (mandate_id));

diesel::allow_tables_to_appear_in_same_query!(
    organisation_recovery_keys,
    recovery_requests,
    organisations,
    users,
    sessions,
    vaults,
    documents,
    document_versions,
    document_slots,
    journal,
    journal_checkpoints,
    journal_erasure_permits,
    journal_pending,
    journal_person_keys,
    journal_shipping,
    login_requests,
    aidant_invitations,
    rate_counters,
    totp_secrets,
    signing_keys,
    vault_envelopes,
    shares,
    memberships,
    account_keys,
    mandates,
    mandate_aidants,
    notices,
    notice_contacts,
    notice_uses,
    attestations,
    identity_proofs,
    kit_login_keys,
    login_challenges,
    passkeys,
);

// Notices (issue 11): the delivery queue, contacts, uses awaiting their daily digest.
diesel::table! {
    notices (id) {
        id -> Text,
        kind -> Text,
        channel -> Text,
        recipient -> Text,
        subject -> Text,
        body -> Text,
        dedup_key -> Nullable<Text>,
        created_at -> BigInt,
        not_before -> BigInt,
        attempts -> BigInt,
        next_attempt_at -> BigInt,
        claimed_until -> Nullable<BigInt>,
        sent_at -> Nullable<BigInt>,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    notice_contacts (user_id) {
        user_id -> Text,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        accept_email -> Bool,
        accept_sms -> Bool,
        updated_at -> BigInt,
    }
}

diesel::table! {
    notice_uses (usager_id, day, aidant_id, document_id) {
        usager_id -> Text,
        day -> BigInt,
        aidant_id -> Text,
        document_id -> Text,
        aidant_name -> Text,
        organisation_name -> Text,
        at -> BigInt,
    }
}

diesel::joinable!(notice_contacts -> users (user_id));

// Ways in without FranceConnect (issue 15).
diesel::table! {
    identity_proofs (id) {
        id -> Text,
        user_id -> Text,
        organisation_id -> Text,
        aidant_id -> Text,
        purpose -> Text,
        method -> Text,
        document_kind -> Nullable<Text>,
        checked_at -> BigInt,
        confirmed_by -> Nullable<Text>,
        confirmed_at -> Nullable<BigInt>,
        claim_token_hash -> Nullable<Text>,
        claim_expires_at -> BigInt,
        claimed_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    kit_login_keys (id) {
        id -> Text,
        user_id -> Text,
        public_key -> Text,
        created_at -> BigInt,
        revoked_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    login_challenges (id) {
        id -> Text,
        purpose -> Text,
        user_id -> Nullable<Text>,
        challenge -> Text,
        state -> Nullable<Text>,
        created_at -> BigInt,
        expires_at -> BigInt,
    }
}

diesel::table! {
    passkeys (id) {
        id -> Text,
        user_id -> Text,
        purpose -> Text,
        credential_id -> Text,
        passkey -> Text,
        label -> Text,
        created_at -> BigInt,
        last_used_at -> Nullable<BigInt>,
    }
}

diesel::joinable!(kit_login_keys -> users (user_id));
diesel::joinable!(passkeys -> users (user_id));
