//! The wasm's global allocator: `talc` instead of std's default (dlmalloc), because it is smaller.
//!
//! Measured on `scripts/build.sh`'s output: the wasm went from 256,911 B raw / 108,891 B gzip to
//! 249,817 B / 106,224 B (−7.1 KB raw, −2.7 KB gzip). A power-of-two size-class allocator of our own
//! came to 105,791 B gzip and lol_alloc's free list (O(n) per call) to 105,808 B: within half a
//! kilobyte, so the maintained crate won (the commit that added this file has the table).
//!
//! The wasm is single-threaded (`wasm32-unknown-unknown` without `atomics`): talc's `WasmDynamicTalc`
//! takes no lock, and refuses to build (a const panic) on a target with threads.

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(test)]
mod tests {
    //! The allocator in the browser: contents survive reallocation, every alignment is met, and memory
    //! freed is reused (a long session's steady work does not grow the wasm memory).

    use std::alloc::{alloc, dealloc, Layout};
    use wasm_bindgen_test::*;

    fn pages() -> usize {
        core::arch::wasm32::memory_size(0)
    }

    /// A mix of small, medium and multi-page blocks, some held while others are freed.
    fn workload(round: usize) {
        let mut held: Vec<Vec<u8>> = Vec::new();
        for i in 0..400usize {
            let size = match i % 5 {
                0 => 1 + (i * 7 + round) % 64,
                1 => 100 + (i * 131) % 4000,
                2 => 20_000 + (i * 977) % 50_000,
                3 => 70_000 + (i * 1237) % 200_000,
                _ => 1 + i % 3,
            };
            let fill = (i % 251) as u8;
            let block = vec![fill; size];
            if i % 3 == 0 {
                held.push(block);
            }
            if held.len() > 20 {
                let old = held.remove(i % held.len());
                assert!(
                    old.iter().all(|&b| b == old[0]),
                    "a held block was overwritten"
                );
            }
        }
        for block in &held {
            assert!(
                block.iter().all(|&b| b == block[0]),
                "a held block was overwritten"
            );
        }
    }

    #[wasm_bindgen_test]
    fn memory_freed_is_reused() {
        workload(0);
        workload(1);
        let after_warm_up = pages();
        for round in 2..200 {
            workload(round);
        }
        assert_eq!(pages(), after_warm_up, "steady work grew the memory");
    }

    #[wasm_bindgen_test]
    fn realloc_keeps_the_contents() {
        let mut v: Vec<u8> = Vec::new();
        for i in 0..300_000usize {
            v.push((i % 253) as u8);
        }
        assert!(v.iter().enumerate().all(|(i, &b)| b == (i % 253) as u8));
        v.truncate(1000);
        v.shrink_to_fit();
        assert!(v.iter().enumerate().all(|(i, &b)| b == (i % 253) as u8));
        let mut s = String::from("x");
        for _ in 0..16 {
            s = s.repeat(2);
        }
        assert_eq!(s.len(), 1 << 16);
        assert!(s.bytes().all(|b| b == b'x'));
    }

    #[wasm_bindgen_test]
    fn every_alignment_up_to_a_page() {
        for shift in 0..=16 {
            let align = 1usize << shift;
            for size in [1, align, align + 1, 3 * align] {
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: the layout has a non-zero size; the block is freed with the same layout.
                unsafe {
                    let p = alloc(layout);
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0, "size {size} align {align}");
                    p.write_bytes(0xA5, size);
                    dealloc(p, layout);
                }
            }
        }
    }
}
