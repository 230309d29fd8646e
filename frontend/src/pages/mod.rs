//! One module per page.

pub mod apply;
pub mod board;
pub mod book;
pub mod home;
pub mod media;
pub mod my_booking;
pub mod not_found;
pub mod staff;
pub mod track;
