//! The display boards' live feed. Calls are announced with PostgreSQL `NOTIFY` (in the calling
//! transaction, so only committed calls are heard); each instance keeps one connection that
//! `LISTEN`s and fans the events out to its connected boards, so a call made on one instance
//! reaches boards connected to any other.

use crate::db::queue::BOARD_CHANNEL;
use diesel::prelude::*;
use std::time::Duration;
use tokio::sync::broadcast;

/// The events heard on this instance, for every board connected to it.
#[derive(Clone)]
pub struct Board {
    sender: broadcast::Sender<String>,
}

impl std::fmt::Debug for Board {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Board")
            .field("boards", &self.sender.receiver_count())
            .finish()
    }
}

impl Board {
    /// Starts listening on a dedicated connection to `database_url` (a thread of its own that
    /// reconnects when the connection drops).
    pub fn listen(database_url: String) -> Board {
        let (sender, _) = broadcast::channel(256);
        let board = Board {
            sender: sender.clone(),
        };
        let spawned = std::thread::Builder::new()
            .name("board-listener".into())
            .spawn(move || loop {
                if let Err(e) = listen_until_broken(&database_url, &sender) {
                    tracing::warn!(error = %e, "board listener lost its connection; reconnecting");
                }
                std::thread::sleep(Duration::from_secs(1));
            });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "cannot start the board listener");
        }
        board
    }

    /// A receiver of every event (a JSON string with `branch`, `number`, `counter`...).
    pub fn subscribe(&self) -> broadcast::Receiver<String> {
        self.sender.subscribe()
    }
}

fn listen_until_broken(url: &str, sender: &broadcast::Sender<String>) -> QueryResult<()> {
    let mut conn = PgConnection::establish(url)
        .map_err(|e| diesel::result::Error::QueryBuilderError(e.to_string().into()))?;
    diesel::sql_query(format!("LISTEN {BOARD_CHANNEL}")).execute(&mut conn)?;
    let mut idle = 0u32;
    loop {
        let mut heard = false;
        for notification in conn.notifications_iter() {
            let notification = notification?;
            heard = true;
            // No receivers is fine: nobody is watching a board on this instance.
            let _ = sender.send(notification.payload);
        }
        if !heard {
            idle += 1;
            // A round trip every 2 s pumps the socket and notices a dead connection.
            if idle % 20 == 0 {
                diesel::sql_query("SELECT 1").execute(&mut conn)?;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}
