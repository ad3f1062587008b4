//! Why a request about notices is refused: the one table of the notices refusals. Each row:
//! variant => (stable code, status class, message of the catalogue).

use crate::macros::refusals;

refusals! {
    pub enum NoticeRefusal {
        /// Not an e-mail address the server can write to.
        InvalidEmail => ("contact_invalid_email", BadRequest, CONTACT_INVALID_EMAIL),
        /// Not a French mobile number (06, 07, +33 6, +33 7).
        InvalidPhone => ("contact_invalid_phone", BadRequest, CONTACT_INVALID_PHONE),
        /// SMS accepted, but no number given.
        PhoneMissing => ("contact_phone_missing", BadRequest, CONTACT_PHONE_MISSING),
        /// E-mail accepted, but no address given and none from the identity provider.
        EmailMissing => ("contact_email_missing", BadRequest, CONTACT_EMAIL_MISSING),
        /// More changes of contact in a day than allowed (each change writes to the old and new
        /// addresses: a bound on what one account can make the server send).
        TooManyChanges => ("contact_too_many_changes", TooManyRequests, CONTACT_TOO_MANY_CHANGES),
    }
}
