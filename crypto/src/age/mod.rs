//! age v1 (<https://age-encryption.org/v1>) implemented from the spec, with Consigne's
//! split storage: one single-recipient header ("slot") per recipient and one shared payload.
//! Any slot followed by the payload is a standard age file.

pub mod armor;
pub mod file_key;
pub mod header;
pub mod io;
pub mod reader;
pub mod slots;
pub mod stream;
pub mod x25519;

pub use file_key::FileKey;
pub use io::{DecryptingWriter, EncryptingWriter};
pub use reader::{decrypt_file, unwrap_file_key, FileDecryptor};
pub use slots::{
    add_slot, check_slot, decrypt_document, encrypt_document, encrypt_document_fixed, make_slot_fixed,
    open_slot, reencrypt_document, DocumentEncryptor, EncryptedDocument,
};
pub use stream::{PayloadDecryptor, PayloadEncryptor, CHUNK_SIZE, NONCE_SIZE};
