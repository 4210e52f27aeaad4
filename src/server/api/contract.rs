//! What the OpenAPI document says of every operation, added once here rather than repeated on
//! each route: the schemas its parameters name, that an optional query parameter given blank
//! (`?kind=`) counts as left out, and the refusals any operation may answer besides its own —
//! a path, query or body that cannot be read (400), a body too large (413) or not JSON (415),
//! each a problem document naming what was wrong.

use utoipa::openapi::path::{Operation, Parameter, ParameterIn};
use utoipa::openapi::schema::{AnyOfBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::{Content, OpenApi, Ref, RefOr, ResponseBuilder};
use utoipa::{PartialSchema, ToSchema};

use spinewise_app::knowledge_ids::{ConditionId, PositionId};
use spinewise_domain::journal::{EntryId, LocalDate};
use spinewise_domain::vocab::{EntryKind, PainScore, PainType, Phase};

/// Completes `api` as described above.
pub fn document(api: &mut OpenApi) {
    register_parameter_schemas(api);
    for item in api.paths.paths.values_mut() {
        for operation in [
            item.get.as_mut(),
            item.put.as_mut(),
            item.post.as_mut(),
            item.delete.as_mut(),
            item.patch.as_mut(),
        ]
        .into_iter()
        .flatten()
        {
            allow_blank_optional_queries(operation);
            document_refusals(operation);
        }
    }
}

/// Adds the schemas that only parameters name (bodies bring their own).
fn register_parameter_schemas(api: &mut OpenApi) {
    fn add<T: ToSchema>(api: &mut OpenApi) {
        let schemas = &mut api.components.get_or_insert_with(Default::default).schemas;
        schemas
            .entry(T::name().into_owned())
            .or_insert_with(<T as PartialSchema>::schema);
    }
    add::<EntryKind>(api);
    add::<EntryId>(api);
    add::<LocalDate>(api);
    add::<PainScore>(api);
    add::<PainType>(api);
    add::<Phase>(api);
    add::<ConditionId>(api);
    add::<PositionId>(api);
    add::<PositionId>(api);
}

/// Lets every optional query parameter be blank: the API reads `?kind=` (or only spaces) as
/// no `kind`, as a form left blank ([`ApiQuery`](super::extract::ApiQuery) drops such values).
fn allow_blank_optional_queries(operation: &mut Operation) {
    for parameter in operation.parameters.iter_mut().flatten() {
        if let RefOr::T(p) = parameter
            && p.parameter_in == ParameterIn::Query
            && p.required != utoipa::openapi::Required::True
            // A list (`a,b`) keeps its own schema, which a generated client serialises by.
            && p.explode != Some(false)
            && let Some(schema) = p.schema.take()
        {
            let blank = ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(r"^\s*$"))
                .description(Some("Blank: the same as leaving the parameter out."));
            let either = AnyOfBuilder::new().item(schema).item(blank).build();
            p.schema = Some(RefOr::T(Schema::AnyOf(either)));
        }
    }
}

/// Documents, on an operation that can meet them, the refusals it does not list itself.
fn document_refusals(operation: &mut Operation) {
    let reads_path_or_query = operation.parameters.iter().flatten().any(|p| {
        matches!(
            p,
            RefOr::T(Parameter {
                parameter_in: ParameterIn::Path | ParameterIn::Query,
                ..
            })
        )
    });
    let has_body = operation.request_body.is_some();
    if reads_path_or_query || has_body {
        add_refusal(
            operation,
            "400",
            "The request could not be read: a path, query parameter or body that is not of the documented form (a parameter given twice, say, or JSON that does not parse).",
        );
    }
    if has_body {
        add_refusal(
            operation,
            "413",
            "The body is larger than this operation takes.",
        );
        add_refusal(
            operation,
            "415",
            "The body is not sent as `application/json`.",
        );
    }
}

/// Adds a problem-document response for `status` unless the operation lists one already.
fn add_refusal(operation: &mut Operation, status: &str, description: &str) {
    let responses = &mut operation.responses.responses;
    if responses.contains_key(status) {
        return;
    }
    let response = ResponseBuilder::new()
        .description(description)
        .content(
            "application/problem+json",
            Content::new(Some(Ref::from_schema_name("Problem"))),
        )
        .build();
    responses.insert(status.to_owned(), response.into());
}
