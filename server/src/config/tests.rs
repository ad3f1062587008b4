use super::*;

fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let vars = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string()));
    Config::from_source(&Source::from_env_and_file(vars, None)?)
}

#[test]
fn defaults_are_the_embedded_default() {
    let c = config(&[]).unwrap();
    assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
    assert_eq!(c.database.url.expose(), "sqlite://var/consigne.sqlite3");
    assert!(matches!(c.blobs, BlobConfig::Fs { .. }));
    assert_eq!(c.limits.upload_bytes, 25 * 1024 * 1024);
    assert_eq!(c.log.format, LogFormat::Human);
}

#[test]
fn a_bad_value_names_the_key_and_what_is_expected() {
    let err = config(&[("CONSIGNE_DATABASE_MAX_CONNECTIONS", "lots")]).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("database.max_connections"), "{text}");
    assert!(text.contains("CONSIGNE_DATABASE_MAX_CONNECTIONS"), "{text}");
    assert!(text.contains("whole number"), "{text}");
    assert!(config(&[("CONSIGNE_DATABASE_MAX_CONNECTIONS", "0")]).is_err());
    assert!(config(&[("CONSIGNE_LOG_FORMAT", "xml")]).unwrap_err().to_string().contains("human or json"));
    assert!(config(&[("CONSIGNE_SERVER_LISTEN", "nowhere")]).is_err());
}

#[test]
fn unknown_variables_are_refused_but_test_ones_ignored() {
    assert_eq!(
        config(&[("CONSIGNE_DATABSE_URL", "x")]).unwrap_err(),
        ConfigError::Unknown("CONSIGNE_DATABSE_URL".into())
    );
    assert!(config(&[("CONSIGNE_TEST_S3_ENDPOINT", "x"), ("PATH", "/bin")]).is_ok());
}

#[test]
fn s3_needs_its_bucket_and_keys_and_never_prints_the_secret() {
    let err = config(&[("CONSIGNE_BLOBS_BACKEND", "s3")]).unwrap_err();
    assert!(err.to_string().contains("blobs.s3.bucket"), "{err}");
    let c = config(&[
        ("CONSIGNE_BLOBS_BACKEND", "s3"),
        ("CONSIGNE_BLOBS_S3_BUCKET", "b"),
        ("CONSIGNE_BLOBS_S3_ACCESS_KEY_ID", "GK123"),
        ("CONSIGNE_BLOBS_S3_SECRET_ACCESS_KEY", "very-secret-value"),
        ("CONSIGNE_BLOBS_S3_ENDPOINT", "http://127.0.0.1:3900"),
    ])
    .unwrap();
    let printed = format!("{c:?}");
    assert!(!printed.contains("very-secret-value"), "{printed}");
    match c.blobs {
        BlobConfig::S3(s3) => {
            assert_eq!(s3.endpoint.as_deref(), Some("http://127.0.0.1:3900"));
            assert_eq!(s3.secret_access_key.expose(), "very-secret-value");
        }
        BlobConfig::Fs { .. } => panic!("expected s3"),
    }
}

#[test]
fn file_values_are_overridden_by_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("consigne.toml");
    std::fs::write(&path, "[server]\nlisten = \"0.0.0.0:9000\"\n[database]\nmax_connections = 3\n").unwrap();
    let vars = vec![("CONSIGNE_DATABASE_MAX_CONNECTIONS".to_string(), "7".to_string())];
    let c = Config::from_source(&Source::from_env_and_file(vars, Some(&path)).unwrap()).unwrap();
    assert_eq!(c.listen.to_string(), "0.0.0.0:9000");
    assert_eq!(c.database.max_connections, 7);

    std::fs::write(&path, "[database]\nurll = \"x\"\n").unwrap();
    let err = Source::from_env_and_file(Vec::new(), Some(&path)).unwrap_err();
    assert!(err.to_string().contains("database.urll"), "{err}");
}

#[test]
fn the_readme_documents_every_setting() {
    let readme = include_str!("../../../README.md");
    for s in SETTINGS {
        assert!(readme.contains(&format!("| `{}` | `{}` |", s.key, s.env)), "README.md lacks {}", s.key);
        if let Some(d) = s.default.filter(|d| !d.is_empty()) {
            assert!(readme.contains(&format!("`{d}`")), "README.md lacks the default of {}", s.key);
        }
    }
}

#[test]
fn trusted_proxies_are_networks_and_a_bad_one_names_the_setting() {
    assert_eq!(config(&[]).unwrap().trusted_proxies, Default::default());
    let c = config(&[("CONSIGNE_SERVER_TRUSTED_PROXIES", "10.0.0.0/8, fd00::/8")]).unwrap();
    assert!(c.trusted_proxies.contains("10.1.2.3".parse().unwrap()));
    assert!(c.trusted_proxies.contains("fd00::7".parse().unwrap()));
    let err = config(&[("CONSIGNE_SERVER_TRUSTED_PROXIES", "10.0.0.0/8, 10.0.0.0/40")]).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("server.trusted_proxies") && text.contains("CONSIGNE_SERVER_TRUSTED_PROXIES"),
        "{text}"
    );
}
