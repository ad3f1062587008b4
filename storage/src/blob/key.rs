use super::BlobError;
use std::fmt;

/// A validated object key: 1 to 512 characters of `[A-Za-z0-9._/-]`, relative, without empty or
/// dot segments, so that it means the same thing as a file path and as an S3 key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlobKey(String);

impl BlobKey {
    pub fn new(key: impl Into<String>) -> Result<Self, BlobError> {
        let key = key.into();
        let chars_ok = key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/'));
        let segments_ok =
            key.split('/').all(|s| !s.is_empty() && s != "." && s != ".." && !s.starts_with(".tmp"));
        if key.is_empty() || key.len() > 512 || !chars_ok || !segments_ok {
            return Err(BlobError::InvalidKey);
        }
        Ok(Self(key))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BlobKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_keys_and_refuses_escapes() {
        assert!(BlobKey::new("vaults/abc/docs/1.age").is_ok());
        for bad in ["", "/abs", "a//b", "a/../b", "./a", "a/", "a b", "a\\b", ".tmp/x", "é"] {
            assert!(BlobKey::new(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(BlobKey::new("x".repeat(513)).is_err());
    }
}
