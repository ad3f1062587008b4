//! The BlobStore contract, on the local directory and on a real Garage: every test runs on both.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consigne_storage::blob::{BlobError, BlobKey, ByteRange, PutOptions};
use consigne_tests::both_stores;
use consigne_tests::stores::TestStore;
use consigne_tests::streams::{chunked, collect, cut_after, endless, random_bytes, sha256};

const MIB: usize = 1024 * 1024;

fn key(k: &str) -> BlobKey {
    BlobKey::new(k).unwrap()
}

fn limit(max: usize) -> PutOptions {
    PutOptions::with_max_size(max as u64)
}

both_stores!(put_get_head_list_delete_round_trip, |t: TestStore| async move {
    let s = t.store;
    // Larger than one S3 part (5 MiB in tests), so the S3 backend goes multipart.
    let data = random_bytes(12 * MIB + 123);
    let stored = s.put(&key("v/1/doc.age"), chunked(&data, 100_000), limit(64 * MIB)).await.unwrap();
    assert_eq!(stored.size, data.len() as u64);
    assert_eq!(stored.sha256, sha256(&data));
    let small = random_bytes(10);
    s.put(&key("v/1/small.age"), chunked(&small, 3), limit(MIB)).await.unwrap();
    s.put(&key("w/other.age"), chunked(&small, 3), limit(MIB)).await.unwrap();

    let got = s.get(&key("v/1/doc.age"), None).await.unwrap();
    assert_eq!(got.object_size, data.len() as u64);
    assert!(collect(got.body).await.unwrap() == data);

    let head = s.head(&key("v/1/small.age")).await.unwrap().unwrap();
    assert_eq!(head.size, 10);
    let listed: Vec<String> = s.list("v/").await.unwrap().into_iter().map(|o| o.key).collect();
    assert_eq!(listed, vec!["v/1/doc.age".to_string(), "v/1/small.age".to_string()]);

    s.delete(&key("v/1/small.age")).await.unwrap();
    s.delete(&key("v/1/small.age")).await.unwrap(); // idempotent
    assert!(s.head(&key("v/1/small.age")).await.unwrap().is_none());
});

both_stores!(ranges_are_served, |t: TestStore| async move {
    let s = t.store;
    let data = random_bytes(200_000);
    s.put(&key("r.age"), chunked(&data, 65_536), limit(MIB)).await.unwrap();
    let part = s.get(&key("r.age"), Some(ByteRange { start: 1000, end: 70_000 })).await.unwrap();
    assert_eq!(part.object_size, 200_000);
    assert!(collect(part.body).await.unwrap() == data[1000..70_000]);
    let beyond = s.get(&key("r.age"), Some(ByteRange { start: 300_000, end: 300_010 })).await;
    assert!(matches!(beyond, Err(BlobError::RangeNotSatisfiable)), "{:?}", beyond.err());
});

both_stores!(missing_key_is_not_found, |t: TestStore| async move {
    let s = t.store;
    assert!(matches!(s.get(&key("nothing/here"), None).await.err(), Some(BlobError::NotFound)));
    assert!(s.head(&key("nothing/here")).await.unwrap().is_none());
});

both_stores!(a_put_cut_off_midway_leaves_no_object, |t: TestStore| async move {
    let s = t.store;
    let data = random_bytes(13 * MIB);
    // Cut within the first part, and after two S3 parts have been uploaded.
    for (name, good) in [("early", 1000), ("late", 11 * MIB)] {
        let k = key(&format!("cut/{name}"));
        let result = s.put(&k, cut_after(&data, good, 256 * 1024), limit(64 * MIB)).await;
        assert!(matches!(result, Err(BlobError::Source(_))), "{name}: {result:?}");
        assert!(s.head(&k).await.unwrap().is_none(), "{name}: object visible after a failed put");
    }
    assert!(s.list("cut/").await.unwrap().is_empty());
});

both_stores!(a_cancelled_put_leaves_no_object, |t: TestStore| async move {
    let s = t.store;
    let k = key("cancelled/x");
    // The endless body never finishes: the put is dropped by the timeout, as when a client leaves.
    let put = s.put(&k, endless(), limit(1 << 40));
    assert!(tokio::time::timeout(std::time::Duration::from_millis(500), put).await.is_err());
    assert!(s.head(&k).await.unwrap().is_none());
    assert!(s.list("cancelled/").await.unwrap().is_empty());
});

both_stores!(a_blob_over_the_limit_is_refused_before_it_is_stored, |t: TestStore| async move {
    let s = t.store;
    let k = key("big/x");
    let result = s.put(&k, endless(), limit(7 * MIB)).await;
    assert!(matches!(result, Err(BlobError::TooLarge { limit }) if limit == 7 * MIB as u64), "{result:?}");
    assert!(s.head(&k).await.unwrap().is_none());

    // An announced size over the limit is refused without reading a byte.
    let announced = PutOptions { max_size: 100, expected_size: Some(101), expected_sha256: None };
    let result = s.put(&k, endless(), announced).await;
    assert!(matches!(result, Err(BlobError::TooLarge { .. })), "{result:?}");
    assert!(s.list("big/").await.unwrap().is_empty());
});

both_stores!(a_checksum_or_size_mismatch_is_refused, |t: TestStore| async move {
    let s = t.store;
    let data = random_bytes(6 * MIB);
    let mut wrong = sha256(&data);
    wrong[0] ^= 1;
    let k = key("sum/x");
    let opts = PutOptions { max_size: 64 * MIB as u64, expected_size: None, expected_sha256: Some(wrong) };
    let result = s.put(&k, chunked(&data, MIB), opts).await;
    assert!(matches!(result, Err(BlobError::ChecksumMismatch)), "{result:?}");
    assert!(s.head(&k).await.unwrap().is_none());

    let short = PutOptions {
        max_size: 64 * MIB as u64,
        expected_size: Some(data.len() as u64 + 1),
        expected_sha256: None,
    };
    let result = s.put(&k, chunked(&data, MIB), short).await;
    assert!(matches!(result, Err(BlobError::SizeMismatch { .. })), "{result:?}");
    assert!(s.head(&k).await.unwrap().is_none());

    let right = PutOptions {
        max_size: 64 * MIB as u64,
        expected_size: Some(data.len() as u64),
        expected_sha256: Some(sha256(&data)),
    };
    s.put(&k, chunked(&data, MIB), right).await.unwrap();
});

both_stores!(a_failed_put_never_damages_the_existing_object, |t: TestStore| async move {
    let s = t.store;
    let k = key("keep/x");
    let original = random_bytes(100_000);
    s.put(&k, chunked(&original, 10_000), limit(MIB)).await.unwrap();
    let replacement = random_bytes(9 * MIB);
    assert!(s.put(&k, cut_after(&replacement, 7 * MIB, MIB), limit(64 * MIB)).await.is_err());
    assert!(s.put(&k, endless(), limit(2 * MIB)).await.is_err());
    let got = s.get(&k, None).await.unwrap();
    assert!(collect(got.body).await.unwrap() == original);
});

both_stores!(an_empty_blob_is_stored, |t: TestStore| async move {
    let s = t.store;
    let k = key("empty/x");
    let stored = s.put(&k, chunked(&[], 1), limit(MIB)).await.unwrap();
    assert_eq!(stored.size, 0);
    assert!(collect(s.get(&k, None).await.unwrap().body).await.unwrap().is_empty());
    s.check().await.unwrap();
});

// An announced size (every document upload) makes the S3 backend stream each part from the body
// into its UploadPart instead of buffering it: the same all-or-nothing guarantees hold.
both_stores!(announced_bodies_keep_every_guarantee_when_streamed, |t: TestStore| async move {
    let s = t.store;
    let announced = |data: &[u8], sha: [u8; 32]| PutOptions {
        max_size: 64 * MIB as u64,
        expected_size: Some(data.len() as u64),
        expected_sha256: Some(sha),
    };
    let k = key("streamed/x");
    // Three parts of 5 MiB and a short one, from chunks that straddle the part boundaries.
    let data = random_bytes(15 * MIB + 4321);
    let stored = s.put(&k, chunked(&data, 999_983), announced(&data, sha256(&data))).await.unwrap();
    assert_eq!((stored.size, stored.sha256), (data.len() as u64, sha256(&data)));
    assert!(collect(s.get(&k, None).await.unwrap().body).await.unwrap() == data);

    // A wrong checksum is only known at the end, after every part was sent: nothing replaces x.
    let other = random_bytes(11 * MIB);
    let mut wrong = sha256(&other);
    wrong[31] ^= 1;
    let result = s.put(&k, chunked(&other, MIB), announced(&other, wrong)).await;
    assert!(matches!(result, Err(BlobError::ChecksumMismatch)), "{result:?}");
    // Cut off in the middle of the second part.
    let result = s.put(&k, cut_after(&other, 7 * MIB, MIB), announced(&other, sha256(&other))).await;
    assert!(result.is_err(), "{result:?}");
    // Longer than announced: refused when the extra bytes arrive.
    let mut longer = other.clone();
    longer.extend_from_slice(b"extra");
    let result = s.put(&k, chunked(&longer, MIB), announced(&other, sha256(&other))).await;
    assert!(matches!(result, Err(BlobError::SizeMismatch { .. })), "{result:?}");
    assert!(collect(s.get(&k, None).await.unwrap().body).await.unwrap() == data);
    assert_eq!(s.list("streamed/").await.unwrap().len(), 1);
});

/// A streamed part arrives at the pace of the person's connection: a part slower than the store's
/// read time-out still completes (the part's request is given time by its size).
#[tokio::test]
async fn a_slow_streamed_part_outlasts_the_read_timeout() {
    use bytes::Bytes;
    use consigne_storage::blob::{BlobStore, S3BlobStore};
    use futures::StreamExt;
    let mut options = consigne_tests::garage::shared().options();
    options.read_timeout = std::time::Duration::from_secs(1);
    let store = S3BlobStore::new(&options);
    let data = random_bytes(6 * MIB);
    // 96 chunks of 64 KiB, 25 ms apart: the first part (5 MiB) takes 2 s, twice the read time-out.
    let chunks: Vec<Bytes> = data.chunks(64 * 1024).map(Bytes::copy_from_slice).collect();
    let slow = futures::stream::iter(chunks)
        .then(|chunk| async move {
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
            Ok::<_, std::io::Error>(chunk)
        })
        .boxed();
    let announced = PutOptions {
        max_size: 64 * MIB as u64,
        expected_size: Some(data.len() as u64),
        expected_sha256: None,
    };
    let k = key("slow/x");
    let stored = store.put(&k, slow, announced).await.unwrap();
    assert_eq!(stored.sha256, sha256(&data));
    assert!(collect(store.get(&k, None).await.unwrap().body).await.unwrap() == data);
}
