//! OpenAPI schemas for the domain types whose JSON form is written by hand (scores, ids,
//! dates, the assessment's answers), so that the API's document says exactly what each field
//! accepts; the closed vocabularies carry their own, beside them in [`crate::vocab`]. Compiled
//! only with the `openapi` feature, which the server turns on.

use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::{KnownFormat, RefOr};
use utoipa::{PartialSchema, ToSchema};

use crate::assessment::Answers;
use crate::journal::{EntryId, LocalDate, LocalDateTime, Rating};
use crate::vocab::PainScore;

fn integer(description: &str, min: u8, max: u8) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .description(Some(description))
        .minimum(Some(min))
        .maximum(Some(max))
        .into()
}

macro_rules! schema {
    ($t:ty => $body:expr) => {
        impl PartialSchema for $t {
            fn schema() -> RefOr<Schema> {
                $body
            }
        }

        impl ToSchema for $t {}
    };
}

schema!(PainScore => integer("A score on the 0–10 numeric rating scale.", 0, PainScore::MAX));
schema!(Rating => integer("A rating from 1 to 5.", Rating::MIN, Rating::MAX));
schema!(EntryId => ObjectBuilder::new()
    .schema_type(Type::String)
    .description(Some(
        "An entry id chosen by the client (a UUID, say), so that a retried write never \
         makes a duplicate.",
    ))
    .pattern(Some("^[A-Za-z0-9_-]{1,64}$"))
    .into());
schema!(LocalDate => ObjectBuilder::new()
    .schema_type(Type::String)
    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
    .description(Some("A date, YYYY-MM-DD."))
    .into());
schema!(LocalDateTime => ObjectBuilder::new()
    .schema_type(Type::String)
    .description(Some(
        "A wall-clock time in the person's own time zone, YYYY-MM-DDTHH:MM (seconds are \
         accepted and dropped).",
    ))
    // A calendar date (30 and 31-day months, 29 February in leap years only) and a time.
    .pattern(Some(concat!(
        r"^(?:\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)",
        r"|02-(?:0[1-9]|1\d|2[0-8]))|(?:\d\d(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)",
        r"T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?$",
    )))
    .into());
schema!(Answers => ObjectBuilder::new()
    .schema_type(Type::Object)
    .description(Some(
        "Self-assessment answers: red-flag symptom ids, and an option id for every \
         questionnaire item.",
    ))
    .property(
        "red_flags",
        utoipa::openapi::schema::ArrayBuilder::new().items(
            ObjectBuilder::new().schema_type(Type::String),
        ),
    )
    .property(
        "answers",
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .additional_properties(Some(ObjectBuilder::new().schema_type(Type::String))),
    )
    .required("answers")
    .into());
