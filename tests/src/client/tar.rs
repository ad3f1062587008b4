//! Reads the export's tar stream (ustar, regular files only).

use std::collections::BTreeMap;

/// Every member's name and bytes.
pub fn read(archive: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut members = BTreeMap::new();
    let mut at = 0;
    while at + 512 <= archive.len() {
        let header = &archive[at..at + 512];
        if header.iter().all(|&b| b == 0) {
            break;
        }
        let name = String::from_utf8_lossy(&header[..100]).trim_end_matches('\0').to_owned();
        let size_field = String::from_utf8_lossy(&header[124..136]);
        let size = usize::from_str_radix(size_field.trim_matches(|c| c == '\0' || c == ' '), 8).unwrap();
        let data = archive[at + 512..at + 512 + size].to_vec();
        members.insert(name, data);
        at += 512 + size.div_ceil(512) * 512;
    }
    members
}
