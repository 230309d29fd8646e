//! Translations: one `key = text` file per language (`tk.txt`, `ru.txt`, `en.txt`), compiled in.
//! Every key the app uses is a [`Key`]; a test fails when any language lacks one or has extras.

use chrono::{NaiveDate, Timelike, Weekday};
use nobat_domain::Language;
use std::collections::HashMap;
use std::sync::OnceLock;

macro_rules! keys {
    ($($variant:ident => $id:literal),* $(,)?) => {
        /// A piece of text the interface shows.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Key { $($variant),* }

        impl Key {
            #[cfg_attr(not(test), allow(dead_code))]
            pub const ALL: &'static [Key] = &[$(Key::$variant),*];

            /// The key as written in the translation files.
            pub fn id(self) -> &'static str {
                match self { $(Key::$variant => $id),* }
            }
        }
    };
}

keys! {
    AppName => "app.name",
    AppTagline => "app.tagline",
    Skip => "skip",
    LangLabel => "lang.label",
    NavLabel => "nav.label",
    NavHome => "nav.home",
    NavBook => "nav.book",
    NavMyBooking => "nav.my_booking",
    NavApply => "nav.apply",
    NavTrack => "nav.track",
    NavMedia => "nav.media",
    NavStaff => "nav.staff",
    HomeTitle => "home.title",
    HomeLead => "home.lead",
    HomeStepsTitle => "home.steps_title",
    HomeStep1 => "home.step1",
    HomeStep2 => "home.step2",
    HomeStep3 => "home.step3",
    HomeStep4 => "home.step4",
    HomeStep5 => "home.step5",
    HomeArrive => "home.arrive",
    HomeActionsTitle => "home.actions_title",
    ActionBook => "action.book",
    ActionMyBooking => "action.my_booking",
    ActionApply => "action.apply",
    ActionTrack => "action.track",
    ActionMedia => "action.media",
    StaffTabMedia => "staff.tab_media",
    MediaAll => "media.all",
    MediaAllItems => "media.all_items",
    MediaAllTags => "media.all_tags",
    MediaAttachments => "media.attachments",
    MediaBack => "media.back",
    MediaClose => "media.close",
    MediaCounter => "media.counter",
    MediaDownloadVideo => "media.download_video",
    MediaEmptyAlbum => "media.empty_album",
    MediaFilterLabel => "media.filter_label",
    MediaFind => "media.find",
    MediaKindInstruction => "media.kind.instruction",
    MediaKindPhoto => "media.kind.photo",
    MediaKindVideo => "media.kind.video",
    MediaLatest => "media.latest",
    MediaLightboxHint => "media.lightbox_hint",
    MediaNext => "media.next",
    MediaNextPhoto => "media.next_photo",
    MediaNoVideo => "media.no_video",
    MediaNone => "media.none",
    MediaOpenPhoto => "media.open_photo",
    MediaPage => "media.page",
    MediaPages => "media.pages",
    MediaPhotos => "media.photos",
    MediaPrev => "media.prev",
    MediaPrevPhoto => "media.prev_photo",
    MediaPrint => "media.print",
    MediaSearch => "media.search",
    MediaSizeB => "media.size_b",
    MediaSizeKb => "media.size_kb",
    MediaSizeMb => "media.size_mb",
    MediaTagFilter => "media.tag_filter",
    MediaTags => "media.tags",
    MediaUntranslated => "media.untranslated",
    MediaUntranslatedNote => "media.untranslated_note",
    MediaEdAcceptsInstruction => "media_ed.accepts_instruction",
    MediaEdAcceptsPhoto => "media_ed.accepts_photo",
    MediaEdAcceptsVideo => "media_ed.accepts_video",
    MediaEdAny => "media_ed.any",
    MediaEdArchive => "media_ed.archive",
    MediaEdBody => "media_ed.body",
    MediaEdCaption => "media_ed.caption",
    MediaEdClose => "media_ed.close",
    MediaEdCreate => "media_ed.create",
    MediaEdCreated => "media_ed.created",
    MediaEdEdit => "media_ed.edit",
    MediaEdFile => "media_ed.file",
    MediaEdFiles => "media_ed.files",
    MediaEdKind => "media_ed.kind",
    MediaEdMissing => "media_ed.missing",
    MediaEdNew => "media_ed.new",
    MediaEdNoFiles => "media_ed.no_files",
    MediaEdNone => "media_ed.none",
    MediaEdOpenPublic => "media_ed.open_public",
    MediaEdOrder => "media_ed.order",
    MediaEdPreview => "media_ed.preview",
    MediaEdPublish => "media_ed.publish",
    MediaEdRemove => "media_ed.remove",
    MediaEdRestore => "media_ed.restore",
    MediaEdSave => "media_ed.save",
    MediaEdSaved => "media_ed.saved",
    MediaEdSlug => "media_ed.slug",
    MediaEdSlugHint => "media_ed.slug_hint",
    MediaEdStatus => "media_ed.status",
    MediaEdStatusNow => "media_ed.status_now",
    MediaEdSummary => "media_ed.summary",
    MediaEdTagsHint => "media_ed.tags_hint",
    MediaEdTitle => "media_ed.title",
    MediaEdTooLarge => "media_ed.too_large",
    MediaEdUnpublish => "media_ed.unpublish",
    MediaEdUpload => "media_ed.upload",
    MediaEdUploaded => "media_ed.uploaded",
    MediaEdUploading => "media_ed.uploading",
    MediaEdWrongType => "media_ed.wrong_type",
    ActionStaff => "action.staff",
    StatusLabel => "status.label",
    StatusChecking => "status.checking",
    StatusUp => "status.up",
    StatusDown => "status.down",
    StatusUnreachable => "status.unreachable",
    SectionSoon => "section.soon",
    SectionBack => "section.back",
    NotFoundTitle => "notfound.title",
    NotFoundText => "notfound.text",
    FooterOwner => "footer.owner",
    FooterApi => "footer.api",
    BookTitle => "book.title",
    BookLead => "book.lead",
    BookProgress => "book.progress",
    BookStepBranch => "book.step.branch",
    BookStepService => "book.step.service",
    BookStepTime => "book.step.time",
    BookStepDetails => "book.step.details",
    BookStepPayment => "book.step.payment",
    BookYourChoice => "book.your_choice",
    BookRegion => "book.region",
    BookChange => "book.change",
    BookRegionTitle => "book.region_title",
    BookRegionHint => "book.region_hint",
    BookBranchTitle => "book.branch_title",
    BookSearch => "book.search",
    BookFound => "book.found",
    BookNoBranches => "book.no_branches",
    BookNoMatch => "book.no_match",
    BookBranchMissing => "book.branch_missing",
    BookAddress => "book.address",
    BookPhone => "book.phone",
    BookOffers => "book.offers",
    BookChooseBranch => "book.choose_branch",
    BookServiceTitle => "book.service_title",
    BookNoServices => "book.no_services",
    BookServiceMissing => "book.service_missing",
    BookFee => "book.fee",
    BookFree => "book.free",
    BookDuration => "book.duration",
    BookMinutes => "book.minutes",
    BookExemptions => "book.exemptions",
    ExemptionChildUnder16 => "exemption.child_under_16",
    ExemptionVeteran => "exemption.veteran",
    ExemptionDisabled => "exemption.disabled",
    BookDocuments => "book.documents",
    BookChooseService => "book.choose_service",
    BookCalendarTitle => "book.calendar_title",
    BookPrevMonth => "book.prev_month",
    BookNextMonth => "book.next_month",
    BookLegend => "book.legend",
    DayOpen => "day.open",
    DayFull => "day.full",
    DayClosed => "day.closed",
    DayNotYetOpen => "day.not_yet_open",
    DayPast => "day.past",
    DayToday => "day.today",
    BookOpensAt => "book.opens_at",
    BookShortDay => "book.short_day",
    BookDayFull => "book.day_full",
    BookDayClosed => "book.day_closed",
    BookTimesTitle => "book.times_title",
    BookSeatsFree => "book.seats_free",
    BookSeatsNone => "book.seats_none",
    Loading => "loading",
    BookSummaryTitle => "book.summary_title",
    BookDate => "book.date",
    BookTime => "book.time",
    BookArrive => "book.arrive",
    BookNextStep => "book.next_step",
    BookContinue => "book.continue",
    BookDetailsTitle => "book.details_title",
    BookDetailsLead => "book.details_lead",
    BookPeopleCount => "book.people_count",
    BookPeopleHint => "book.people_hint",
    BookPerson => "book.person",
    BookPassport => "book.passport",
    FieldSurname => "field.surname",
    FieldGivenName => "field.given_name",
    FieldPatronymic => "field.patronymic",
    FieldDateOfBirth => "field.date_of_birth",
    FieldPhone => "field.phone",
    FieldEmail => "field.email",
    FieldPassportNumber => "field.passport_number",
    FieldIssuedOn => "field.issued_on",
    FieldIssuedBy => "field.issued_by",
    FieldExpiresOn => "field.expires_on",
    FieldOptional => "field.optional",
    HintPatronymic => "hint.patronymic",
    HintPhone => "hint.phone",
    HintEmail => "hint.email",
    HintPassportNumber => "hint.passport_number",
    HintIssuedBy => "hint.issued_by",
    BookFixErrors => "book.fix_errors",
    BookToReview => "book.to_review",
    BookReviewTitle => "book.review_title",
    BookPeople => "book.people",
    BookTotal => "book.total",
    BookPay => "book.pay",
    BookConfirmFree => "book.confirm_free",
    BookPayNote => "book.pay_note",
    BookRetrying => "book.retrying",
    BookSending => "book.sending",
    BookEditDetails => "book.edit_details",
    BookOtherTime => "book.other_time",
    MyLead => "my.lead",
    MySavedTitle => "my.saved_title",
    MyRecoverTitle => "my.recover_title",
    MyRecoverLead => "my.recover_lead",
    MyReference => "my.reference",
    MyReferenceHint => "my.reference_hint",
    MyPassportHint => "my.passport_hint",
    MyOpen => "my.open",
    MyNoMatch => "my.no_match",
    MyTooMany => "my.too_many",
    MyTooManyLater => "my.too_many_later",
    MyTokenRefused => "my.token_refused",
    MyOther => "my.other",
    MyRescheduleTitle => "my.reschedule_title",
    MyRescheduleTo => "my.reschedule_to",
    MyKeepTime => "my.keep_time",
    BookingHeld => "booking.held",
    BookingConfirmed => "booking.confirmed",
    BookingCheckedIn => "booking.checked_in",
    BookingServing => "booking.serving",
    BookingServed => "booking.served",
    BookingNoShow => "booking.no_show",
    BookingMissed => "booking.missed",
    BookingCancelled => "booking.cancelled",
    BookingExpired => "booking.expired",
    MyStatus => "my.status",
    MyHold => "my.hold",
    MyHoldOver => "my.hold_over",
    MyTicketTitle => "my.ticket_title",
    MyBookingTitle => "my.booking_title",
    MyQrAlt => "my.qr_alt",
    MyPayment => "my.payment",
    MyArrive => "my.arrive",
    MyPrint => "my.print",
    MyAddToCalendar => "my.add_to_calendar",
    MyReschedule => "my.reschedule",
    MyCancel => "my.cancel",
    MyCancelTitle => "my.cancel_title",
    MyCancelText => "my.cancel_text",
    MyCancelYes => "my.cancel_yes",
    MyCancelNo => "my.cancel_no",
    MyCancelled => "my.cancelled",
    MyRefund => "my.refund",
    MyRescheduled => "my.rescheduled",
    PaymentPaid => "payment.paid",
    PaymentPending => "payment.pending",
    PaymentDeclined => "payment.declined",
    PaymentRefunded => "payment.refunded",
    PaymentNew => "payment.new",
    PaymentRefundPending => "payment.refund_pending",
    OutcomePaid => "outcome.paid",
    OutcomeDeclined => "outcome.declined",
    OutcomePending => "outcome.pending",
    OutcomeExpired => "outcome.expired",
    OutcomeRefunded => "outcome.refunded",
    ErrorTitle => "error.title",
    ErrorNetwork => "error.network",
    ErrorUnreadable => "error.unreadable",
    ErrorRequestId => "error.request_id",
    ActionRetry => "action.retry",
    Month1 => "month.1",
    Month2 => "month.2",
    Month3 => "month.3",
    Month4 => "month.4",
    Month5 => "month.5",
    Month6 => "month.6",
    Month7 => "month.7",
    Month8 => "month.8",
    Month9 => "month.9",
    Month10 => "month.10",
    Month11 => "month.11",
    Month12 => "month.12",
    Weekday1 => "weekday.1",
    Weekday2 => "weekday.2",
    Weekday3 => "weekday.3",
    Weekday4 => "weekday.4",
    Weekday5 => "weekday.5",
    Weekday6 => "weekday.6",
    Weekday7 => "weekday.7",
    WeekdayShort1 => "weekday_short.1",
    WeekdayShort2 => "weekday_short.2",
    WeekdayShort3 => "weekday_short.3",
    WeekdayShort4 => "weekday_short.4",
    WeekdayShort5 => "weekday_short.5",
    WeekdayShort6 => "weekday_short.6",
    WeekdayShort7 => "weekday_short.7",
    StaffLoginTitle => "staff.login_title",
    StaffLoginLead => "staff.login_lead",
    StaffUsername => "staff.username",
    StaffPassword => "staff.password",
    StaffLogIn => "staff.log_in",
    StaffWrongLogin => "staff.wrong_login",
    StaffTooMany => "staff.too_many",
    StaffTooManyLater => "staff.too_many_later",
    StaffSessionOver => "staff.session_over",
    StaffLogOut => "staff.log_out",
    StaffNoQueue => "staff.no_queue",
    StaffBranch => "staff.branch",
    StaffArrivalTitle => "staff.arrival_title",
    StaffReference => "staff.reference",
    StaffReferenceHint => "staff.reference_hint",
    StaffPriority => "staff.priority",
    StaffPriorityNone => "staff.priority_none",
    StaffCheckIn => "staff.check_in",
    StaffScan => "staff.scan",
    StaffScanStop => "staff.scan_stop",
    StaffCameraFailed => "staff.camera_failed",
    StaffIssued => "staff.issued",
    StaffAppointment => "staff.appointment",
    StaffLateTitle => "staff.late_title",
    StaffBookAgain => "staff.book_again",
    StaffOverrideReason => "staff.override_reason",
    StaffOverrideHint => "staff.override_hint",
    StaffOverride => "staff.override",
    StaffWalkInTitle => "staff.walk_in_title",
    StaffWalkInHint => "staff.walk_in_hint",
    StaffCounterTitle => "staff.counter_title",
    StaffCounterNumber => "staff.counter_number",
    StaffOpen => "staff.open",
    StaffClose => "staff.close",
    StaffCallNext => "staff.call_next",
    StaffCounterOpened => "staff.counter_opened",
    StaffCounterClosed => "staff.counter_closed",
    StaffCalled => "staff.called",
    StaffQueueTitle => "staff.queue_title",
    StaffQueueEmpty => "staff.queue_empty",
    StaffColNumber => "staff.col_number",
    StaffColService => "staff.col_service",
    StaffColStatus => "staff.col_status",
    StaffColCounter => "staff.col_counter",
    StaffColTime => "staff.col_time",
    StaffColActions => "staff.col_actions",
    StaffCalls => "staff.calls",
    StaffRecall => "staff.recall",
    StaffServed => "staff.served",
    StaffNoShow => "staff.no_show",
    StaffPasswordTitle => "staff.password_title",
    StaffCurrentPassword => "staff.current_password",
    StaffNewPassword => "staff.new_password",
    StaffNewPasswordHint => "staff.new_password_hint",
    StaffChangePassword => "staff.change_password",
    StaffPasswordChanged => "staff.password_changed",
    StaffWrongPassword => "staff.wrong_password",
    StaffTabQueue => "staff.tab_queue",
    StaffTabReports => "staff.tab_reports",
    StaffTabSettings => "staff.tab_settings",
    SettingsClosureTitle => "settings.closure_title",
    SettingsClosureHint => "settings.closure_hint",
    SettingsFrom => "settings.from",
    SettingsTo => "settings.to",
    SettingsReason => "settings.reason",
    SettingsClosureCheck => "settings.closure_check",
    SettingsClosureAffects => "settings.closure_affects",
    SettingsClosureConfirm => "settings.closure_confirm",
    SettingsClosureDone => "settings.closure_done",
    SettingsClosureChanged => "settings.closure_changed",
    SettingsBookingTitle => "settings.booking_title",
    SettingsBookingHint => "settings.booking_hint",
    SettingsDaysAhead => "settings.days_ahead",
    SettingsRelease => "settings.release",
    SettingsCutoff => "settings.cutoff",
    SettingsHall => "settings.hall",
    SettingsNoCap => "settings.no_cap",
    SettingsSave => "settings.save",
    SettingsSaved => "settings.saved",
    SettingsCountersTitle => "settings.counters_title",
    SettingsLabel => "settings.label",
    SettingsRetire => "settings.retire",
    SettingsAddCounter => "settings.add_counter",
    SettingsAccountsTitle => "settings.accounts_title",
    SettingsDisplayName => "settings.display_name",
    SettingsRole => "settings.role",
    SettingsDemoPassword => "settings.demo_password",
    SettingsDisable => "settings.disable",
    SettingsEnable => "settings.enable",
    SettingsCreateAccount => "settings.create_account",
    SettingsHolidaysTitle => "settings.holidays_title",
    SettingsDate => "settings.date",
    SettingsKind => "settings.kind",
    SettingsKindExtra => "settings.kind_extra",
    SettingsKindTransfer => "settings.kind_transfer",
    SettingsKindFixed => "settings.kind_fixed",
    SettingsKindMovable => "settings.kind_movable",
    SettingsHolidayName => "settings.holiday_name",
    SettingsTransferredFrom => "settings.transferred_from",
    SettingsAddHoliday => "settings.add_holiday",
    StaffCounterOpenBy => "staff.counter_open_by",
    StaffCounterOpenMine => "staff.counter_open_mine",
    StaffNoCounters => "staff.no_counters",
    ReportTitle => "report.title",
    ReportFrom => "report.from",
    ReportTo => "report.to",
    ReportBadRange => "report.bad_range",
    ReportCsv => "report.csv",
    ReportBooked => "report.booked",
    ReportPaid => "report.paid",
    ReportCheckedIn => "report.checked_in",
    ReportServed => "report.served",
    ReportMissed => "report.missed",
    ReportNoShow => "report.no_show",
    ReportCancelled => "report.cancelled",
    ReportChartTitle => "report.chart_title",
    ReportChartLabel => "report.chart_label",
    ReportTimesTitle => "report.times_title",
    ReportAverage => "report.average",
    ReportP90 => "report.p90",
    ReportMeasured => "report.measured",
    ReportWait => "report.wait",
    ReportService => "report.service",
    ReportCountersTitle => "report.counters_title",
    ReportNoneServed => "report.none_served",
    ReportAverageService => "report.average_service",
    ReportMinutes => "report.minutes",
    MyQueueNumber => "my.queue_number",
    MyQueueAhead => "my.queue_ahead",
    MyQueueNext => "my.queue_next",
    MyQueueWait => "my.queue_wait",
    MyQueueGo => "my.queue_go",
    MyQueueUpdates => "my.queue_updates",
    BoardNowServing => "board.now_serving",
    BoardLastCalls => "board.last_calls",
    BoardNumber => "board.number",
    BoardCounter => "board.counter",
    BoardWaiting => "board.waiting",
    BoardEnableSound => "board.enable_sound",
    BoardOffline => "board.offline",
    BoardUnknown => "board.unknown",
    SettingsCheckinOpens => "settings.checkin_opens",
    SettingsMaxCalls => "settings.max_calls",
    CatalogBranchesTitle => "catalog.branches_title",
    CatalogServicesTitle => "catalog.services_title",
    CatalogCode => "catalog.code",
    CatalogName => "catalog.name",
    CatalogInactive => "catalog.inactive",
    CatalogActive => "catalog.active",
    CatalogEdit => "catalog.edit",
    CatalogEditBranch => "catalog.edit_branch",
    CatalogNewBranch => "catalog.new_branch",
    CatalogCreateBranch => "catalog.create_branch",
    CatalogLatitude => "catalog.latitude",
    CatalogLongitude => "catalog.longitude",
    CatalogEditService => "catalog.edit_service",
    CatalogNewService => "catalog.new_service",
    CatalogCreateService => "catalog.create_service",
    CatalogQueuePrefix => "catalog.queue_prefix",
    CatalogDuration => "catalog.duration",
    CatalogFee => "catalog.fee",
    CatalogDescription => "catalog.description",
    CatalogDocuments => "catalog.documents",
    CatalogDocumentsHint => "catalog.documents_hint",
    PlanTitle => "plan.title",
    PlanTitleShort => "plan.title_short",
    PlanBreak => "plan.break",
    PlanRemoveBreak => "plan.remove_break",
    PlanOpens => "plan.opens",
    PlanCloses => "plan.closes",
    PlanAddBreak => "plan.add_break",
    PlanNone => "plan.none",
    PlanCopy => "plan.copy",
    PlanEffectiveFrom => "plan.effective_from",
    PlanValidFrom => "plan.valid_from",
    PlanSave => "plan.save",
    ApplyTitle => "apply.title",
    ApplyLead => "apply.lead",
    ApplyProgress => "apply.progress",
    ApplyStepReason => "apply.step.reason",
    ApplyStepPerson => "apply.step.person",
    ApplyStepAddress => "apply.step.address",
    ApplyStepPrevious => "apply.step.previous",
    ApplyStepPhoto => "apply.step.photo",
    ApplyStepDocuments => "apply.step.documents",
    ApplyStepReview => "apply.step.review",
    ApplyContinue => "apply.continue",
    ApplyBack => "apply.back",
    ApplySubmit => "apply.submit",
    ApplySubmitNote => "apply.submit_note",
    ApplyNumber => "apply.number",
    ApplyUnsaved => "apply.unsaved",
    ApplyDraftKept => "apply.draft_kept",
    ApplyStartNew => "apply.start_new",
    ApplyNoToken => "apply.no_token",
    ApplyGivenNames => "apply.given_names",
    ApplyPlaceOfBirth => "apply.place_of_birth",
    ApplyPlaceOfBirthHint => "apply.place_of_birth_hint",
    ApplySex => "apply.sex",
    ApplyNationalId => "apply.national_id",
    ApplyNationalIdHint => "apply.national_id_hint",
    ApplyPrintedTitle => "apply.printed_title",
    ApplyPrintedHint => "apply.printed_hint",
    ApplyPrintedSurname => "apply.printed_surname",
    ApplyPrintedGivenNames => "apply.printed_given_names",
    ApplyMrz => "apply.mrz",
    ApplyVelayat => "apply.velayat",
    ApplyLocality => "apply.locality",
    ApplyStreet => "apply.street",
    ApplyPhoneHint => "apply.phone_hint",
    ApplyBranch => "apply.branch",
    ApplyPreviousTitle => "apply.previous_title",
    ApplyPreviousOptional => "apply.previous_optional",
    ApplyGuardianTitle => "apply.guardian_title",
    ApplyRelation => "apply.relation",
    ApplyGuardianId => "apply.guardian_id",
    ApplyConsent => "apply.consent",
    ApplyPhotoRules => "apply.photo_rules",
    ApplyPhotoChoose => "apply.photo_choose",
    ApplyPhotoReplace => "apply.photo_replace",
    ApplyPhotoAlt => "apply.photo_alt",
    ApplyPhotoUploaded => "apply.photo_uploaded",
    ApplyPhotoCropped => "apply.photo_cropped",
    ApplyPhotoMissing => "apply.photo_missing",
    ApplyDocumentsLead => "apply.documents_lead",
    ApplyDocInternalPassport => "apply.doc.internal_passport",
    ApplyDocBirthCertificate => "apply.doc.birth_certificate",
    ApplyDocPreviousPassport => "apply.doc.previous_passport",
    ApplyDocLostStatement => "apply.doc.lost_statement",
    ApplyDocChangeCertificate => "apply.doc.change_certificate",
    ApplyDocGuardianPassport => "apply.doc.guardian_passport",
    ApplyDocReceipt => "apply.doc.receipt",
    ApplyFullName => "apply.full_name",
    ApplyProblems => "apply.problems",
    ApplyPayAgain => "apply.pay_again",
    ApplyReceipt => "apply.receipt",
    ApplyReceiptSave => "apply.receipt_save",
    TrackLead => "track.lead",
    TrackNumberHint => "track.number_hint",
    TrackSubmit => "track.submit",
    TrackNotFound => "track.not_found",
    TrackSince => "track.since",
    TrackHistory => "track.history",
    StaffTabApplications => "staff.tab_applications",
    StaffAppsSearch => "staff.apps_search",
    StaffAppsNone => "staff.apps_none",
    StaffAppsSubmitted => "staff.apps_submitted",
    StaffAppsPages => "staff.apps_pages",
    StaffAppsPage => "staff.apps_page",
    StaffAppsPrev => "staff.apps_prev",
    StaffAppsNext => "staff.apps_next",
    StaffAppsNote => "staff.apps_note",
    StaffAppsNoteHint => "staff.apps_note_hint",
    StaffAppsMoved => "staff.apps_moved",
}

impl Key {
    /// The name of month `number` (1 = January).
    pub fn month(number: u32) -> Key {
        const MONTHS: [Key; 12] = [
            Key::Month1,
            Key::Month2,
            Key::Month3,
            Key::Month4,
            Key::Month5,
            Key::Month6,
            Key::Month7,
            Key::Month8,
            Key::Month9,
            Key::Month10,
            Key::Month11,
            Key::Month12,
        ];
        MONTHS[(number.clamp(1, 12) - 1) as usize]
    }

    /// The full name of a weekday.
    pub fn weekday(day: Weekday) -> Key {
        const DAYS: [Key; 7] = [
            Key::Weekday1,
            Key::Weekday2,
            Key::Weekday3,
            Key::Weekday4,
            Key::Weekday5,
            Key::Weekday6,
            Key::Weekday7,
        ];
        DAYS[day.num_days_from_monday() as usize]
    }

    /// The short name of a weekday, as a calendar's column heading.
    pub fn weekday_short(day: Weekday) -> Key {
        const DAYS: [Key; 7] = [
            Key::WeekdayShort1,
            Key::WeekdayShort2,
            Key::WeekdayShort3,
            Key::WeekdayShort4,
            Key::WeekdayShort5,
            Key::WeekdayShort6,
            Key::WeekdayShort7,
        ];
        DAYS[day.num_days_from_monday() as usize]
    }
}

/// Puts values into a text's `{name}` placeholders: `fill("{n} free", &[("n", "3")])`.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(text.to_owned(), |text, (name, value)| {
        text.replace(&format!("{{{name}}}"), value)
    })
}

/// A date as citizens read it in every language: `dd.MM.yyyy`.
pub fn date(date: NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

/// A time of day, 24-hour: `HH:MM`.
pub fn time(time: impl Timelike) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

fn source(language: Language) -> &'static str {
    match language {
        Language::Tk => include_str!("tk.txt"),
        Language::Ru => include_str!("ru.txt"),
        Language::En => include_str!("en.txt"),
    }
}

/// Parses a translation file: `key = text` lines; blank lines and `#` comments are skipped.
fn parse(source: &'static str) -> HashMap<&'static str, &'static str> {
    source
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split_once('='))
        .map(|(key, text)| (key.trim(), text.trim()))
        .collect()
}

fn table(language: Language) -> &'static HashMap<&'static str, &'static str> {
    static TABLES: OnceLock<[HashMap<&'static str, &'static str>; 3]> = OnceLock::new();
    let tables = TABLES.get_or_init(|| Language::ALL.map(|l| parse(source(l))));
    match language {
        Language::Tk => &tables[0],
        Language::Ru => &tables[1],
        Language::En => &tables[2],
    }
}

/// The text for `key` in `language`, falling back to Turkmen, then to the key itself.
pub fn t(language: Language, key: Key) -> &'static str {
    table(language)
        .get(key.id())
        .or_else(|| table(Language::Tk).get(key.id()))
        .copied()
        .unwrap_or(key.id())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    #[test]
    fn every_language_has_every_key_and_no_other() {
        let known: Vec<&str> = Key::ALL.iter().map(|k| k.id()).collect();
        for language in Language::ALL {
            let table = parse(source(language));
            for key in &known {
                let text = table.get(key).copied().unwrap_or_default();
                assert!(!text.is_empty(), "{language}: missing or empty key {key}");
            }
            for key in table.keys() {
                assert!(known.contains(key), "{language}: unknown key {key}");
            }
        }
    }

    #[test]
    fn no_file_defines_a_key_twice() {
        for language in Language::ALL {
            let lines = source(language)
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .count();
            assert_eq!(
                lines,
                parse(source(language)).len(),
                "{language}: duplicate key"
            );
        }
    }

    #[test]
    fn key_ids_are_unique() {
        let mut ids: Vec<&str> = Key::ALL.iter().map(|k| k.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), Key::ALL.len());
    }

    /// The `{name}` placeholders in a text, sorted.
    fn placeholders(text: &str) -> Vec<&str> {
        let mut names: Vec<&str> = text
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect();
        names.sort_unstable();
        names
    }

    #[test]
    fn every_language_fills_the_same_placeholders() {
        for &key in Key::ALL {
            let turkmen = placeholders(t(Language::Tk, key));
            for language in [Language::Ru, Language::En] {
                assert_eq!(
                    placeholders(t(language, key)),
                    turkmen,
                    "{language}: placeholders of {}",
                    key.id()
                );
            }
        }
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(fill("{n} boş", &[("n", "3")]), "3 boş");
        assert_eq!(
            fill(
                t(Language::En, Key::BookOpensAt),
                &[("date", "01.12.2026"), ("time", "08:00")]
            ),
            "Booking for this day opens on 01.12.2026 at 08:00."
        );
        assert_eq!(fill("no placeholder", &[("n", "1")]), "no placeholder");
    }

    #[test]
    fn dates_and_times_read_the_same_in_every_language() {
        let day = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap_or_default();
        assert_eq!(date(day), "01.01.2027");
        assert_eq!(
            time(chrono::NaiveTime::from_hms_opt(9, 5, 0).unwrap_or_default()),
            "09:05"
        );
        assert_eq!(t(Language::Tk, Key::month(day.month())), "Ýanwar");
        assert_eq!(t(Language::Ru, Key::weekday(day.weekday())), "Пятница");
        assert_eq!(t(Language::En, Key::weekday_short(Weekday::Mon)), "Mon");
        assert_eq!(Key::month(12), Key::Month12);
    }

    #[test]
    fn turkmen_letters_survive() {
        assert!(t(Language::Tk, Key::NavMyBooking).contains('ň'));
        assert!(t(Language::Tk, Key::AppTagline).contains('ý'));
    }
}
