//! Enums that are words: the same text in the database, the CLI, JSON and
//! forms. [`text_enum!`] gives each `as_str`, `parse` (with a field error
//! that lists the words), `ALL`, `Display` and serialisation as its word.

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident, $field:literal, { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        /// As its text, the same word the database and the CLI use.
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl $name {
            pub const FIELD: &'static str = $field;
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(value: &str) -> Result<$name, $crate::platform::validate::FieldError> {
                match value.trim() {
                    $($text => Ok($name::$variant),)+
                    other => Err($crate::platform::validate::FieldError::new(
                        $field,
                        format!(
                            "\"{}\" is not one of: {}",
                            other,
                            [$($text),+].join(", ")
                        ),
                    )),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use text_enum;
