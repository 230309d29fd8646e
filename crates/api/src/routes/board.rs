//! The public display board of a branch: who is called to which counter, now and lately, and a
//! server-sent events stream that carries each call within a second, from any instance.

use crate::board::Board;
use crate::db::{catalog, queue, PgPool};
use crate::error::ApiError;
use actix_web::http::header;
use actix_web::{get, web, HttpResponse};
use chrono::Utc;
use nobat_domain::calendar::local_date;
use nobat_domain::wire::Problem;
use std::time::Duration;

/// One call on the board.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct BoardCall {
    /// The ticket number, e.g. `A-017`.
    pub number: String,
    pub counter: Option<i32>,
    pub counter_label: Option<String>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub called_at: Option<chrono::DateTime<Utc>>,
    /// called or serving (now) ; served, no_show (earlier).
    pub status: String,
}

/// What a board shows.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[schema(example = json!({"branch": "mary", "now_serving": [{"number": "A-017", "counter": 3, "counter_label": "3", "called_at": "2026-12-01T04:05:00Z", "status": "called"}], "last_calls": []}))]
pub struct BoardView {
    pub branch: String,
    /// Called or at a counter now, newest call first.
    pub now_serving: Vec<BoardCall>,
    /// The last ten calls of the day.
    pub last_calls: Vec<BoardCall>,
}

fn call(row: queue::EntryRow) -> BoardCall {
    BoardCall {
        number: format!("{}-{:03}", row.prefix, row.number),
        counter: row.counter,
        counter_label: row.counter_label,
        called_at: row.called_at,
        status: row.status,
    }
}

/// The board of a branch now (public: numbers and counters only, nothing about people).
#[utoipa::path(
    tag = "catalog",
    operation_id = "get_board",
    params(("code" = String, Path, description = "The branch", example = "mary")),
    responses(
        (status = 200, description = "Now serving and the last calls", body = BoardView),
        (status = 404, description = "No such branch", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/branches/{code}/board")]
pub async fn get_board(
    pool: web::Data<PgPool>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let code = code.into_inner();
    let view = web::block(move || {
        let mut conn = pool.get()?;
        let branch = catalog::find_branch(&mut conn, &code)?
            .ok_or_else(|| ApiError::not_found(format!("There is no branch {code:?}.")))?;
        let today = local_date(Utc::now());
        let mut now_serving: Vec<BoardCall> = queue::live_entries(&mut conn, branch.id, today)?
            .into_iter()
            .filter(|e| e.status != "waiting")
            .map(call)
            .collect();
        now_serving.sort_by_key(|c| std::cmp::Reverse(c.called_at));
        let last_calls = queue::last_calls(&mut conn, branch.id, today, 10)?
            .into_iter()
            .map(call)
            .collect();
        Ok::<_, ApiError>(BoardView {
            branch: code,
            now_serving,
            last_calls,
        })
    })
    .await??;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(view))
}

/// The board's live events (`text/event-stream`): an `event: call` with
/// `{"branch","number","counter","counter_label","calls","at"}` for each call and recall at the
/// branch, made on any server instance, and a comment every 15 s to keep proxies from closing.
#[utoipa::path(
    tag = "catalog",
    operation_id = "board_events",
    params(("code" = String, Path, description = "The branch", example = "mary")),
    responses(
        (status = 200, description = "Server-sent events", content_type = "text/event-stream", body = String),
        (status = 404, description = "No such branch", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/branches/{code}/board/events")]
pub async fn board_events(
    pool: web::Data<PgPool>,
    board: web::Data<Board>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let code = code.into_inner();
    let check = code.clone();
    web::block(move || {
        let mut conn = pool.get()?;
        catalog::find_branch(&mut conn, &check)?
            .map(|_| ())
            .ok_or_else(|| ApiError::not_found(format!("There is no branch {check:?}.")))
    })
    .await??;
    let receiver = board.subscribe();
    let first = web::Bytes::from_static(b"retry: 2000\n: connected\n\n");
    let stream = futures_util::stream::unfold(
        (receiver, code, Some(first)),
        |(mut receiver, code, first)| async move {
            if let Some(first) = first {
                return Some((Ok::<_, actix_web::Error>(first), (receiver, code, None)));
            }
            loop {
                let next =
                    actix_web::rt::time::timeout(Duration::from_secs(15), receiver.recv()).await;
                let bytes = match next {
                    Err(_) => web::Bytes::from_static(b": keep-alive\n\n"),
                    Ok(Ok(payload)) => {
                        let mine = serde_json::from_str::<serde_json::Value>(&payload)
                            .is_ok_and(|v| v["branch"] == code.as_str());
                        if !mine {
                            continue;
                        }
                        web::Bytes::from(format!("event: call\ndata: {payload}\n\n"))
                    }
                    Ok(Err(tokio::sync::broadcast::error::RecvError::Lagged(_))) => {
                        web::Bytes::from_static(b"event: resync\ndata: {}\n\n")
                    }
                    Ok(Err(tokio::sync::broadcast::error::RecvError::Closed)) => return None,
                };
                return Some((Ok(bytes), (receiver, code, None)));
            }
        },
    );
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/event-stream"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(("x-accel-buffering", "no"))
        .streaming(stream))
}
