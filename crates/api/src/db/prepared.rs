//! Hand-written SQL that PostgreSQL prepares once per connection.
//!
//! Diesel's `sql_query` never caches its statement (it cannot know the text is fixed), so
//! PostgreSQL parses and plans it on every call: for the booking path's common-table-expression
//! statements that was a large part of the database's work (issue #9). [`Prepared`] takes a
//! `'static` text, which is the same on every call by construction, and lets Diesel keep it in
//! the connection's prepared-statement cache like any query built with the DSL.
//!
//! Placeholders are written `$1`, `$2`… as in PostgreSQL and may repeat; the `n`-th
//! [`Prepared::bind`] call gives the value of `$n`.

use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::query_dsl::RunQueryDsl;
use diesel::result::{Error, QueryResult};
use diesel::serialize::ToSql;
use diesel::sql_types::{HasSqlType, Untyped};
use std::marker::PhantomData;

/// One bound value and its SQL type.
trait BindValue: Send {
    fn push<'b>(&'b self, out: &mut AstPass<'_, 'b, Pg>) -> QueryResult<()>;
}

struct Bound<ST, T> {
    value: T,
    sql_type: PhantomData<fn() -> ST>,
}

impl<ST, T> BindValue for Bound<ST, T>
where
    Pg: HasSqlType<ST>,
    T: ToSql<ST, Pg> + Send,
{
    fn push<'b>(&'b self, out: &mut AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_bind_param::<ST, T>(&self.value)
    }
}

/// A statement with fixed text and its values; run it with Diesel's `execute`, `load` or
/// `get_result` (rows are read by name, as with `sql_query`).
#[must_use = "a statement does nothing until it is run"]
pub struct Prepared<'a> {
    sql: &'static str,
    binds: Vec<Box<dyn BindValue + 'a>>,
}

impl<'a> Prepared<'a> {
    pub fn new(sql: &'static str) -> Self {
        Prepared {
            sql,
            binds: Vec::new(),
        }
    }

    /// The value of the next placeholder (`$1` first).
    pub fn bind<ST, T>(mut self, value: T) -> Self
    where
        Pg: HasSqlType<ST>,
        T: ToSql<ST, Pg> + Send + 'a,
        ST: 'static,
    {
        self.binds.push(Box::new(Bound::<ST, T> {
            value,
            sql_type: PhantomData,
        }));
        self
    }
}

impl QueryFragment<Pg> for Prepared<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        let mut rest = self.sql;
        while let Some(at) = rest.find('$') {
            out.push_sql(&rest[..at]);
            let after = &rest[at + 1..];
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                out.push_sql("$");
                rest = after;
                continue;
            }
            let bind = after[..digits]
                .parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
                .and_then(|n| self.binds.get(n))
                .ok_or_else(|| {
                    Error::QueryBuilderError(
                        format!("no value bound for ${}", &after[..digits]).into(),
                    )
                })?;
            bind.push(&mut out)?;
            rest = &after[digits..];
        }
        out.push_sql(rest);
        Ok(())
    }
}

impl QueryId for Prepared<'_> {
    type QueryId = ();
    // Cached by its text (and bind types), which is 'static and so the same on every call.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl Query for Prepared<'_> {
    type SqlType = Untyped;
}

impl<Conn> RunQueryDsl<Conn> for Prepared<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::sql_types::{Integer, Text};

    #[test]
    fn placeholders_become_binds_in_order_and_may_repeat() {
        let query = Prepared::new("SELECT $1::int + $2, $1 || '$' WHERE x = $$a$$")
            .bind::<Integer, _>(1)
            .bind::<Text, _>("two".to_owned());
        let sql = diesel::debug_query::<Pg, _>(&query).to_string();
        assert!(
            sql.starts_with("SELECT $1::int + $2, $3 || '$' WHERE x = $$a$$"),
            "{sql}"
        );
        assert!(sql.contains("binds: [1, \"two\", 1]"), "{sql}");
    }

    #[test]
    fn a_placeholder_without_a_value_is_an_error_not_a_panic() {
        let query = Prepared::new("SELECT $2").bind::<Integer, _>(1);
        let mut builder = diesel::pg::PgQueryBuilder::default();
        assert!(query.to_sql(&mut builder, &Pg).is_err());
    }
}
