-- Keys that sign ID and access tokens: the private part sealed with the
-- deployment key, the public part as a JWK. The newest unretired key signs;
-- retired keys stay published until the tokens they signed have expired.
CREATE TABLE signing_keys (
    kid            TEXT PRIMARY KEY,
    alg            TEXT NOT NULL CHECK (alg IN ('ES256')),
    public_jwk     TEXT NOT NULL,
    private_sealed TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    retired_at     BIGINT
);
