//! Text accepted from clients. One rule for every text input (JSON bodies, the upload descriptor,
//! query strings): no NUL character. PostgreSQL cannot store U+0000 in a text column and fails
//! the statement, so a NUL is refused at the boundary, the same way on both databases.

use serde_json::Value;

/// Whether any string (or object key) of `value` holds a NUL character.
pub fn has_nul(value: &Value) -> bool {
    match value {
        Value::String(s) => s.contains('\0'),
        Value::Array(items) => items.iter().any(has_nul),
        Value::Object(fields) => fields.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    }
}

/// Whether a raw query string decodes to text holding a NUL character (`%00`; a URL cannot carry
/// a raw NUL).
pub fn query_has_nul(query: &str) -> bool {
    query.contains("%00")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nul_anywhere_is_found() {
        assert!(has_nul(&json!({"label": "t\u{0}l"})));
        assert!(has_nul(&json!({"a": [{"b": "\u{0}"}]})));
        assert!(has_nul(&json!({"k\u{0}": 1})));
        assert!(!has_nul(&json!({"label": "téléphone", "n": 3, "l": [null, true]})));
        assert!(query_has_nul("after=a%00b"));
        assert!(!query_has_nul("after=a%30b"));
    }
}
