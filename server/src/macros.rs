//! Two macros that keep a closed set of names written once: [`text_enum!`] for enums stored as
//! text, [`refusals!`] for a domain's table of refusals.

/// An enum stored as text (in the database or the journal). Each variant is written once, with
/// its text; the macro derives `as_str`, `parse`, `ALL`, `Display` and `Serialize` (as the text).
/// No `Deserialize`: a client's text is parsed by the domain, which answers its own refusal.
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The text it is stored as.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )+
                }
            }

            /// The value stored as `text`, if any.
            pub fn parse(text: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == text)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

/// A domain's refusals, each written once as one row: variant, stable code (documented in
/// openapi.yaml), status class (which the HTTP layer turns into a status code) and message (a
/// constant of the catalogue, [`crate::messages`]). The macro derives the enum, `code`,
/// `status_class`, `message`, `from_code`, `ALL`, `Display` (the code) and `Error`.
///
/// ```text
/// refusals! {
///     pub enum ExampleRefusal {
///         /// What the refusal means.
///         Missing => ("example_missing", NotFound, NOT_FOUND),
///     }
/// }
/// ```
macro_rules! refusals {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => ($code:literal, $class:ident, $message:ident), )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every refusal of the table, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable machine code clients see.
            pub const fn code(self) -> &'static str {
                match self {
                    $( $name::$variant => $code, )+
                }
            }

            /// What kind of failure it is; the HTTP layer maps it to a status code.
            pub const fn status_class(self) -> $crate::refusal::StatusClass {
                match self {
                    $( $name::$variant => $crate::refusal::StatusClass::$class, )+
                }
            }

            /// The words shown to a person.
            pub const fn message(self) -> $crate::messages::Message {
                match self {
                    $( $name::$variant => $crate::messages::$message, )+
                }
            }

            /// The refusal with this code, if it is one of this table's.
            pub fn from_code(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|r| r.code() == code)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl std::error::Error for $name {}
    };
}

pub(crate) use refusals;
pub(crate) use text_enum;
