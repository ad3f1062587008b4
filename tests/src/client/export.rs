//! Turning the server's export (a tar of ciphertext with a manifest) into what the usager keeps:
//! a ZIP of the original files, named by their titles, plus `documents.csv`.

use super::{tar, zip::ZipWriter, VaultClient};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use consigne_crypto::age::{decrypt_document, open_slot};
use consigne_crypto::metadata::open_metadata;
use serde_json::Value;
use std::collections::BTreeSet;

/// One file rebuilt from the export.
#[derive(Debug, Clone)]
pub struct ExportedFile {
    pub path: String,
    pub document_id: String,
    pub version: i64,
    pub bytes: Vec<u8>,
}

impl VaultClient {
    /// Downloads the export archive.
    pub async fn export_archive(&self) -> Vec<u8> {
        let res = self.get("/api/v1/vault/export").await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "application/x-tar");
        res.bytes().await.unwrap().to_vec()
    }

    /// Decrypts every version of an export archive: current versions under their category,
    /// binned documents under `corbeille/`, older versions under `versions-precedentes/`.
    pub fn rebuild(&self, archive: &[u8]) -> (Vec<ExportedFile>, String) {
        let members = tar::read(archive);
        let manifest: Value = serde_json::from_slice(&members["manifest.json"]).unwrap();
        assert_eq!(manifest["format"], "consigne-export/2");
        let documents: Vec<Value> = members
            .iter()
            .filter(|(name, _)| name.starts_with("documents/") && name.ends_with(".json"))
            .map(|(_, bytes)| serde_json::from_slice(bytes).unwrap())
            .collect();
        let mut files = Vec::new();
        let mut names = BTreeSet::new();
        let mut csv =
            String::from("fichier,titre,categorie,type,expiration,version,sha256_chiffre,corbeille\n");
        for doc in &documents {
            let binned = !doc["binned_at"].is_null();
            for v in doc["versions"].as_array().unwrap() {
                let slot = STANDARD.decode(v["slot"].as_str().unwrap()).unwrap();
                let payload = &members[v["payload"].as_str().unwrap()];
                // Each version is checked against its author's signature before it is written.
                let mut signed = v.clone();
                signed["document_id"] = doc["id"].clone();
                if let Err(e) = self.author(&signed, payload) {
                    panic!("export: version {} of {} refused: {e}", v["number"], doc["id"]);
                }
                let key = open_slot(&slot, &self.identity).unwrap();
                let meta =
                    open_metadata(&key, &STANDARD.decode(v["metadata"].as_str().unwrap()).unwrap()).unwrap();
                let bytes = decrypt_document(&slot, payload, &self.identity).unwrap();
                let category = doc["category"].as_str().unwrap();
                let folder = match (v["current"].as_bool().unwrap(), binned) {
                    (false, _) => format!("versions-precedentes/{category}"),
                    (true, true) => format!("corbeille/{category}"),
                    (true, false) => category.to_owned(),
                };
                let path = unique(&mut names, &folder, &safe_name(&meta.file_name));
                csv.push_str(&csv_row(&[
                    &path,
                    &meta.title,
                    category,
                    &meta.mime_type,
                    doc["expires_on"].as_str().unwrap_or(""),
                    &v["number"].to_string(),
                    v["sha256"].as_str().unwrap(),
                    if binned { "oui" } else { "non" },
                ]));
                files.push(ExportedFile {
                    path,
                    document_id: doc["id"].as_str().unwrap().to_owned(),
                    version: v["number"].as_i64().unwrap(),
                    bytes,
                });
            }
        }
        (files, csv)
    }

    /// The ZIP the usager downloads: every file plus `documents.csv`.
    pub async fn export_zip(&self) -> Vec<u8> {
        let (files, csv) = self.rebuild(&self.export_archive().await);
        let mut zip = ZipWriter::default();
        for f in &files {
            zip.add(&f.path, &f.bytes);
        }
        zip.add("documents.csv", csv.as_bytes());
        zip.finish()
    }
}

/// A file name without path separators or control characters.
fn safe_name(name: &str) -> String {
    let cleaned: String =
        name.chars().map(|c| if c == '/' || c == '\\' || c.is_control() { '_' } else { c }).collect();
    if cleaned.trim().is_empty() {
        "document".into()
    } else {
        cleaned
    }
}

/// `folder/name`, with ` (2)`, ` (3)`… before the extension when the name is taken.
fn unique(taken: &mut BTreeSet<String>, folder: &str, name: &str) -> String {
    let (stem, ext) = name
        .rsplit_once('.')
        .map(|(s, e)| (s.to_owned(), format!(".{e}")))
        .unwrap_or((name.to_owned(), String::new()));
    let mut candidate = format!("{folder}/{name}");
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{folder}/{stem} ({n}){ext}");
        n += 1;
    }
    candidate
}

fn csv_row(fields: &[&str]) -> String {
    let quoted: Vec<String> = fields
        .iter()
        .map(|f| {
            if f.contains([',', '"', '\n']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                (*f).to_owned()
            }
        })
        .collect();
    format!("{}\n", quoted.join(","))
}
