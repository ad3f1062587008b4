use super::{BlobError, PutOptions, Stored};
use sha2::{Digest, Sha256};

/// Counts and hashes a put's bytes as they stream, enforcing its [`PutOptions`]. Every backend
/// feeds each chunk through one of these before writing it, and asks [`Meter::finish`] before
/// making the object visible.
pub struct Meter {
    hasher: Sha256,
    size: u64,
    options: PutOptions,
}

impl Meter {
    /// Refuses at once a body whose announced size is already over the limit.
    pub fn new(options: PutOptions) -> Result<Self, BlobError> {
        if let Some(expected) = options.expected_size {
            if expected > options.max_size {
                return Err(BlobError::TooLarge { limit: options.max_size });
            }
        }
        Ok(Self { hasher: Sha256::new(), size: 0, options })
    }

    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), BlobError> {
        self.size += chunk.len() as u64;
        if self.size > self.options.max_size {
            return Err(BlobError::TooLarge { limit: self.options.max_size });
        }
        if let Some(expected) = self.options.expected_size {
            if self.size > expected {
                return Err(BlobError::SizeMismatch { expected, actual: self.size });
            }
        }
        self.hasher.update(chunk);
        Ok(())
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// The error for a body that ended before the part it was to fill.
    pub fn cut_off(&self) -> BlobError {
        match self.options.expected_size {
            Some(expected) => BlobError::SizeMismatch { expected, actual: self.size },
            None => BlobError::Source(std::io::Error::from(std::io::ErrorKind::UnexpectedEof)),
        }
    }

    /// Checks the announced size and checksum once the body has ended.
    pub fn finish(self) -> Result<Stored, BlobError> {
        if let Some(expected) = self.options.expected_size {
            if self.size != expected {
                return Err(BlobError::SizeMismatch { expected, actual: self.size });
            }
        }
        let sha256: [u8; 32] = self.hasher.finalize().into();
        if let Some(expected) = self.options.expected_sha256 {
            if expected != sha256 {
                return Err(BlobError::ChecksumMismatch);
            }
        }
        Ok(Stored { size: self.size, sha256 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enforces_limit_size_and_checksum() {
        let mut m = Meter::new(PutOptions::with_max_size(4)).unwrap();
        m.feed(b"abcd").unwrap();
        assert!(matches!(m.feed(b"e"), Err(BlobError::TooLarge { limit: 4 })));

        let announced = PutOptions { max_size: 10, expected_size: Some(3), expected_sha256: None };
        let mut m = Meter::new(announced.clone()).unwrap();
        m.feed(b"ab").unwrap();
        assert!(matches!(m.finish(), Err(BlobError::SizeMismatch { expected: 3, actual: 2 })));
        let mut m = Meter::new(announced).unwrap();
        assert!(m.feed(b"abcd").is_err());

        let wrong = PutOptions { max_size: 10, expected_size: None, expected_sha256: Some([0; 32]) };
        let mut m = Meter::new(wrong).unwrap();
        m.feed(b"abc").unwrap();
        assert!(matches!(m.finish(), Err(BlobError::ChecksumMismatch)));

        let too_big = PutOptions { max_size: 2, expected_size: Some(3), expected_sha256: None };
        assert!(Meter::new(too_big).is_err());
    }
}
