#![no_main]
libfuzzer_sys::fuzz_target!(
    init: latchkey_fuzz::jwt::init(),
    |data: &[u8]| latchkey_fuzz::jwt::run(data)
);
