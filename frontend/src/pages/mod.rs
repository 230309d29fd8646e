//! One module per page.

pub mod board;
pub mod book;
pub mod home;
pub mod my_booking;
pub mod not_found;
pub mod section;
pub mod staff;
