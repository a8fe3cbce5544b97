mod passkeys;
mod totp_and_codes;
