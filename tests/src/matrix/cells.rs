//! One cell: who calls (the column's session, or none), with which objects in the path (the
//! column's, or a fresh one for a cell expected to succeed: see [`Fresh`]), with which body.

use super::world::{claim, mandate, propose};
use super::{Body, Column, Expect, Fill, Fresh, Professional, Row, World};
use crate::auth::error_code;
use crate::client::{metadata_for, Sealed, VaultClient, UPLOAD_TYPE};
use crate::enrolment::{by_document, by_knowledge};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use consigne_crypto::age::{add_slot, encrypt_document, FileKey};
use consigne_crypto::envelope::{seal_device, seal_kit, EnvelopeKey};
use consigne_crypto::kit::RecoveryCode;
use consigne_crypto::kit_login::KitLoginKey;
use consigne_crypto::metadata::seal_metadata;
use consigne_crypto::signature::{self, SigningKey, VersionFields};
use consigne_crypto::{Identity, Recipient};
use reqwest::Method;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::sync::atomic::Ordering;

/// Categories the fresh mandates and proposals take pairs of: never `identite` nor `sante`, so
/// that they neither supersede M, `M_exp` or `M_rev` nor add a slot to the uploads of the cells.
const SPARE: [&str; 9] =
    ["domicile", "ressources", "famille", "logement", "emploi", "droits", "justice", "etranger", "autre"];

/// The objects of one cell.
#[derive(Default)]
struct Target {
    /// `{id}` (or `{user_id}`).
    id: String,
    /// `{document_id}`.
    document: String,
    /// What a body needs of the object: the document as listed, a proposal's recap.
    detail: Value,
}

enum Payload {
    None,
    Json(Value),
    Upload(Vec<u8>),
}

impl World {
    /// Calls `row`'s route as `column`; returns the status and the refusal code.
    pub(super) async fn call(&self, row: &Row, column: Column, expected: Expect) -> (u16, String) {
        let fresh = if expected.succeeds() { row.fresh } else { Fresh::No };
        let target = self.target(row.fill, column, fresh).await;
        let path = path(row, column, &target);
        let payload = self.body(row.body, column, &target).await;
        let (http, csrf) = self.session(column);
        let method = Method::from_bytes(row.method.as_bytes()).unwrap();
        let mut req = http.request(method, self.v.env.server.at(&path));
        if let Some(csrf) = csrf {
            req = req.header("x-csrf-token", csrf);
        }
        req = match payload {
            Payload::None => req,
            Payload::Json(v) => req.json(&v),
            Payload::Upload(bytes) => req.header("content-type", UPLOAD_TYPE).body(bytes),
        };
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let code = if status >= 400 { error_code(res).await } else { String::new() };
        if fresh == Fresh::Reopen && status < 300 {
            let res = self.usager(column).send(Method::DELETE, "/api/v1/vault/closure", None).await;
            assert_eq!(res.status(), 200, "closure cancelled after the cell");
        }
        (status, code)
    }

    /// The column's HTTP client (its cookie jar holds the session) and CSRF token.
    fn session(&self, column: Column) -> (&reqwest::Client, Option<&str>) {
        match column {
            Column::U => (&self.u().http, Some(&self.u().csrf)),
            Column::V => (&self.other.http, Some(&self.other.csrf)),
            Column::E => (&self.enrolled.http, Some(&self.enrolled.csrf)),
            Column::Anon => (&self.anon, None),
            _ => {
                let p = self.professional(column).unwrap();
                (&p.pro.browser.http, Some(&p.csrf))
            }
        }
    }

    fn professional(&self, column: Column) -> Option<&Professional> {
        match column {
            Column::A | Column::AOut | Column::AExp | Column::ARev => Some(&self.a),
            Column::B => Some(&self.b),
            Column::N => Some(&self.n),
            Column::S => Some(&self.s),
            Column::R => Some(&self.r),
            Column::F => Some(&self.f),
            Column::U | Column::V | Column::E | Column::Anon => None,
        }
    }

    /// The column's usager client, U's for everyone else (what the owner's client would send).
    fn usager(&self, column: Column) -> &VaultClient {
        match column {
            Column::V => &self.other,
            Column::E => &self.enrolled,
            _ => self.u(),
        }
    }

    fn mandate_of(&self, column: Column) -> &str {
        match column {
            Column::AExp => &self.m_exp,
            Column::ARev => &self.m_rev,
            _ => &self.m,
        }
    }

    fn document_of(&self, column: Column) -> &str {
        if column == Column::AOut {
            &self.d_out
        } else {
            &self.d_in
        }
    }

    fn next(&self) -> usize {
        self.counter.fetch_add(1, Ordering::Relaxed)
    }

    async fn target(&self, fill: Fill, column: Column, fresh: Fresh) -> Target {
        let shared = |id: &str| Target { id: id.to_owned(), ..Target::default() };
        let u = self.u();
        let n = self.next();
        let categories = pair(n);
        match fresh {
            Fresh::No | Fresh::Reopen => {}
            Fresh::Closing => {
                let res = self.usager(column).send(Method::POST, "/api/v1/vault/closure", None).await;
                assert_eq!(res.status(), 202, "closure requested before the cell");
            }
            Fresh::Mandate => {
                return shared(&mandate(&self.a, u, &categories, &[&self.a], 31).await.0);
            }
            Fresh::Proposal | Fresh::ClaimedProposal => {
                let proposed = propose(&self.a, &categories, &[&self.a], 31).await;
                let id = proposed["mandate"]["id"].as_str().unwrap().to_owned();
                let detail =
                    if fresh == Fresh::ClaimedProposal { claim(u, &proposed).await } else { proposed };
                return Target { id, detail, ..Target::default() };
            }
            Fresh::Document | Fresh::BinnedDocument | Fresh::Share => {
                let doc = u.upload("sante", &format!("nouveau-{n}.pdf"), b"un nouveau papier").await;
                let id = doc["id"].as_str().unwrap().to_owned();
                if fresh == Fresh::BinnedDocument {
                    let res = u.send(Method::POST, &format!("/api/v1/documents/{id}/bin"), None).await;
                    assert_eq!(res.status(), 204);
                }
                if fresh == Fresh::Share {
                    return shared(u.share(&doc, json!({})).await.share["id"].as_str().unwrap());
                }
                return Target { id, detail: doc, ..Target::default() };
            }
            Fresh::Envelope => {
                let res = u.send(Method::POST, "/api/v1/vault/envelopes", Some(envelope(u))).await;
                assert_eq!(res.status(), 201);
                return shared(res.json::<Value>().await.unwrap()["id"].as_str().unwrap());
            }
            Fresh::Invitation => {
                let invited = self.f.invite(&format!("invitee{n}@example.fr"), "aidant").await;
                return shared(invited["id"].as_str().unwrap());
            }
            Fresh::Enrolment | Fresh::KnownEnrolment => {
                let name = format!("INSCRIT{n}");
                let body = if fresh == Fresh::Enrolment {
                    by_document("Nouvel", &name)
                } else {
                    by_knowledge("Nouvel", &name)
                };
                let made = self.a.expect(Method::POST, "/api/v1/enrolments", Some(body), 201).await;
                return shared(made["id"].as_str().unwrap());
            }
            Fresh::Member | Fresh::SuspendedMember => {
                let member = self.new_member(n).await;
                if fresh == Fresh::SuspendedMember {
                    let path = format!("/api/v1/organisation/members/{member}/suspension");
                    self.f.expect(Method::POST, &path, None, 204).await;
                }
                return shared(&member);
            }
        }
        match fill {
            Fill::Nothing => Target::default(),
            Fill::Mandate | Fill::MandateListing | Fill::MandateQuery => shared(self.mandate_of(column)),
            Fill::Attestation => shared(&self.attestations[&self.mandate_of(column).to_owned()]),
            Fill::MandateDocument => Target {
                id: self.mandate_of(column).to_owned(),
                document: self.document_of(column).to_owned(),
                ..Target::default()
            },
            Fill::Proposal => match column {
                Column::AExp | Column::ARev => shared(self.mandate_of(column)),
                _ => shared(&self.proposal),
            },
            Fill::Document => shared(self.document_of(column)),
            Fill::Envelope => shared(&self.envelope),
            Fill::Share => shared(&self.share),
            Fill::Invitation => shared(&self.invitation),
            Fill::Member => shared(&self.member),
            Fill::Unknown => shared(&uuid::Uuid::now_v7().to_string()),
            Fill::Enrolment => shared(&self.enrolment),
        }
    }

    async fn body(&self, body: Body, column: Column, target: &Target) -> Payload {
        let pro = self.professional(column);
        let client = self.usager(column);
        let json = |v: Value| Payload::Json(v);
        match body {
            Body::Empty => Payload::None,
            Body::Vault => json(vault(client)),
            Body::Envelope => json(envelope(client)),
            Body::SigningKey => json(match pro {
                Some(p) => p.signing(),
                None => signing(client),
            }),
            Body::KitLogin => json(kit_login(client)),
            Body::AccountKey => json(pro.unwrap_or(&self.a).account_key()),
            Body::Choose => {
                json(json!({"organisation_id": pro.map(|p| &p.organisation).unwrap_or(&self.o).as_str()}))
            }
            Body::Invitation => {
                json(json!({"email": format!("nouvelle{}@example.fr", self.next()), "role": "aidant"}))
            }
            Body::Proposal => json(json!({
                "categories": ["autre"],
                "purposes": ["papiers"],
                "duration_days": 31,
                "aidant_ids": [pro.unwrap_or(&self.a).user_id()],
            })),
            Body::Contact => {
                json(json!({"email": null, "phone": null, "accept_email": true, "accept_sms": false}))
            }
            Body::Claim => json(json!({"token": self.proposal_token})),
            Body::Enrolment => json(by_document("Nouvelle", &format!("PERSONNE{}", self.next()))),
            Body::PasskeyPurpose => {
                json(json!({"purpose": if pro.is_some() { "second_factor" } else { "login" }}))
            }
            Body::PasskeyAnswer => json(json!({
                "ceremony_id": "nothing-started",
                "label": "téléphone",
                "credential": {
                    "id": "AAAA",
                    "rawId": "AAAA",
                    "type": "public-key",
                    "response": {"attestationObject": "AAAA", "clientDataJSON": "AAAA"},
                    "clientExtensionResults": {},
                },
            })),
            Body::Consent if !target.detail["mandate"].is_null() => {
                json(crate::mandate_setup::consent_for(client, &target.detail["mandate"]).await.body)
            }
            Body::Consent => {
                let key = Identity::generate().unwrap().to_recipient().to_string();
                json(json!({"recipient": key, "grants": [], "slots": []}))
            }
            Body::Upload => {
                let sealed = client.seal(b"un papier", &metadata_for("papier.pdf"), &[]);
                Payload::Upload(VaultClient::frame(
                    &VaultClient::descriptor(&sealed, "sante"),
                    &sealed.payload,
                ))
            }
            Body::Version => {
                let meta = metadata_for("papier.pdf");
                let sealed = client.seal_version(b"version 2", &meta, &[], &target.id, 2);
                let category = target.detail["category"].as_str().unwrap_or("identite");
                Payload::Upload(VaultClient::frame(
                    &VaultClient::descriptor(&sealed, category),
                    &sealed.payload,
                ))
            }
            Body::Share => json(share(client, &target.detail)),
            Body::RecoveryRequest => {
                json(json!({"recipient": Identity::generate().unwrap().to_recipient().to_string()}))
            }
            Body::RecoveryKey => {
                let caller = pro.unwrap_or(&self.a);
                let key = Identity::generate().unwrap();
                let (wrapped, _) =
                    encrypt_document(&[caller.key.to_recipient()], b"the recovery identity").unwrap();
                json(json!({
                    "recipient": key.to_recipient().to_string(),
                    "copies": [{"user_id": caller.user_id(), "wrapped": STANDARD.encode(wrapped.age_file(0).unwrap())}],
                }))
            }
            Body::RecoveryRelease => {
                let to = Identity::generate().unwrap().to_recipient();
                let (file, _) = encrypt_document(&[to], &[1u8; 34]).unwrap();
                json(json!({"organisation_share": STANDARD.encode(file.age_file(0).unwrap())}))
            }
            Body::MandateUpload => {
                let signer = pro.unwrap_or(&self.a);
                let category = if column == Column::AOut { "sante" } else { "identite" };
                let recipients = [self.u().recipient(), self.m_key.to_recipient()];
                let sealed = sealed_by(&signer.signing_key(), self.u().vault_id(), &recipients);
                Payload::Upload(VaultClient::frame(
                    &VaultClient::descriptor(&sealed, category),
                    &sealed.payload,
                ))
            }
        }
    }
}

/// The path with the cell's objects in it.
fn path(row: &Row, column: Column, target: &Target) -> String {
    let mut path = row.path.replace("{id}", &target.id).replace("{user_id}", &target.id);
    path = path.replace("{document_id}", &target.document);
    if row.fill == Fill::MandateListing && column == Column::AOut {
        path.push_str("?category=sante");
    }
    if row.fill == Fill::MandateQuery {
        path = format!("{path}?mandate={}", target.id);
    }
    path
}

/// Two of [`SPARE`], a different pair for each `n` (36 pairs, then again).
fn pair(n: usize) -> Vec<&'static str> {
    let pairs: Vec<(usize, usize)> =
        (0..SPARE.len()).flat_map(|i| (i + 1..SPARE.len()).map(move |j| (i, j))).collect();
    let (i, j) = pairs[n % pairs.len()];
    vec![SPARE[i], SPARE[j]]
}

fn vault(c: &VaultClient) -> Value {
    let device = seal_device(&EnvelopeKey::generate().unwrap(), &c.identity, &c.account_id).unwrap();
    let kit = seal_kit(&RecoveryCode::generate().unwrap(), &c.identity, &c.account_id).unwrap();
    json!({
        "recipient": c.recipient().to_string(),
        "envelopes": [
            {"kind": "device", "label": "ce téléphone", "envelope": STANDARD.encode(device)},
            {"kind": "kit", "label": "kit de secours", "envelope": STANDARD.encode(kit)},
        ],
    })
}

fn envelope(c: &VaultClient) -> Value {
    let sealed = seal_device(&EnvelopeKey::generate().unwrap(), &c.identity, &c.account_id).unwrap();
    json!({"kind": "device", "label": "une tablette", "envelope": STANDARD.encode(sealed)})
}

fn signing(c: &VaultClient) -> Value {
    let key = c.signing_key();
    json!({
        "public_key": key.public_key().to_string(),
        "proof": STANDARD.encode(signature::sign_registration(&key, &c.account_id)),
    })
}

/// The login key of a new kit of `c`'s account and its registration proof (base64url).
fn kit_login(c: &VaultClient) -> Value {
    let key = KitLoginKey::derive(&RecoveryCode::generate().unwrap());
    json!({
        "public_key": key.public_key().to_string(),
        "proof": URL_SAFE_NO_PAD.encode(key.registration_proof(&c.account_id)),
    })
}

/// A share link's slot for `doc` (as listed) made from the usager's own slot; for a document the
/// caller cannot open, a well-formed slot of another file key.
fn share(c: &VaultClient, doc: &Value) -> Value {
    let link = Identity::generate().unwrap().to_recipient();
    let file_key = match doc["version"]["slot"].as_str() {
        Some(slot) => consigne_crypto::age::open_slot(&STANDARD.decode(slot).unwrap(), &c.identity).unwrap(),
        None => FileKey::generate().unwrap(),
    };
    json!({"recipient": link.to_string(), "header": STANDARD.encode(add_slot(&file_key, &link).unwrap())})
}

/// A new document for the vault `vault_id`, encrypted to `recipients` (the usager first, then
/// mandate keys), signed with `key`.
fn sealed_by(key: &SigningKey, vault_id: &str, recipients: &[Recipient]) -> Sealed {
    let (doc, file_key) = encrypt_document(recipients, b"une attestation").unwrap();
    let kinds = std::iter::once("usager").chain(std::iter::repeat("mandate"));
    let slots =
        kinds.zip(recipients.iter().zip(doc.slots)).map(|(k, (r, s))| (k.to_owned(), *r, s)).collect();
    let metadata = seal_metadata(&file_key, &metadata_for("attestation.pdf")).unwrap();
    let document_id = uuid::Uuid::now_v7().to_string();
    let fields = VersionFields {
        vault_id,
        document_id: &document_id,
        version: 1,
        payload_sha256: Sha256::digest(&doc.payload).into(),
        metadata: &metadata,
        recipients,
    };
    Sealed {
        slots,
        signature: signature::sign_version(key, &fields),
        payload: doc.payload,
        metadata,
        file_key,
        document_id,
        version: 1,
        new_document: true,
        signing_key: key.public_key().to_string(),
    }
}
