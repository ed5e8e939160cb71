import TransitionSystems

/// Transfer tokens and their reuse (`--tokens N`): the SCMI core gives each transfer a token,
/// the message header carries it, and a reply reaches the pending transfer holding its token
/// (drivers/firmware/arm_scmi/driver.c: scmi_xfer_token_set, __scmi_xfer_put,
/// scmi_xfer_command_acquire at v6.12).
///
/// - Allocation (`scmi_xfer_token_set`, under the transfer table's lock in `xfer_get`): from a
///   sequence number one past the last token given, the first free token, wrapping around the
///   token space; the sequence then continues from the token given. The kernel's space has
///   MSG_TOKEN_MAX (1024) tokens; `--tokens N` shrinks it to N, so a reply that comes back
///   after N - 1 newer transfers stands for one that comes back after 1023.
/// - Release: `__scmi_xfer_put` frees the token with the transfer's last reference, even when
///   the device still holds the request (a timed-out transfer), so a late reply may carry a token
///   that a newer transfer holds by then. The core cannot tell: it delivers the reply to that
///   transfer. When a delivery path (the IRQ path or the worker) still holds a reference as the
///   sender releases the transfer, the token stays taken (`token_held`) until that path drops it
///   (`complete_xfer`); the reply it carries then finds no pending transfer.
/// - Without `--tokens` (nil) every transfer's token is its own (`req_cpu` names the
///   transfer and is cleared at release): a late reply never meets a newer transfer with its
///   token, the reference's assumption.
///
/// Orderings: the token table (`xfer_alloc_table`, the pending hash) and the transfer refcount are
/// read and written under `minfo->xfer_lock` (driver.c), so they stay sequentially consistent
/// under the weak memory models; the header's token is part of the request the device echoes.
///
/// `req_cpu` stays, as a ghost: whose transfer the request belongs to, so that delivering it
/// to another is a bad delivery (`exactly-once-delivery`).
extension TransportModel {
    /// The token space, when tokens are modelled.
    var tokenSpace: Domain? { configuration.tokens.map { .instances("Token", count: $0, prefix: "t") } }

    /// `xfer_get`'s `scmi_xfer_token_set` for CPU `c`'s new transfer: the first free token at or
    /// after the one past the last token given, wrapping around, then `then`; `exhausted` when
    /// every token is taken (each CPU's transfer holds one, and a delivery path may keep a released
    /// transfer's), where `xfer_get` fails. Just `then` without tokens.
    func allocateToken(_ c: Expr, @ActionBuilder then: () -> [ActionPart], @ActionBuilder exhausted: () -> [ActionPart]) -> [ActionPart] {
        guard let space = tokenSpace else { return then() }
        let (allocated, none) = (then(), exhausted())
        let n = space.size
        func token(_ i: Int) -> Expr { space[space.valueNames[i % n]] }
        /// The search from position `start`, `k` tokens tried so far.
        func search(from start: Int, tried k: Int) -> [ActionPart] {
            guard k < n else { return none }
            let t = token(start + k)
            return [If(tokenOwner[t] == cpu.none && tokenHeldByPath[t] == tokenHold["no"]) {
                tokenOwner[t] <- c
                xferToken[c] <- t
                lastToken.value <- t
                allocated
            } else: {
                search(from: start, tried: k + 1)
            }]
        }
        // One branch per value of the last token, as an if/else chain: each writes one token.
        var chain: [ActionPart] = search(from: n, tried: 0)
        for last in (0..<(n - 1)).reversed() {
            chain = [If(lastToken.value == token(last)) { search(from: last + 1, tried: 0) } else: { chain }]
        }
        return chain
    }

    /// The request in `m` carries the token of CPU `c`'s transfer (the header `msg_tx_prepare`
    /// packs). Nothing without tokens.
    func stampToken(_ m: Expr, of c: Expr) -> [ActionPart] {
        guard tokenSpace != nil else { return [] }
        return [msgToken[m] <- xferToken[c]]
    }

    /// `__scmi_xfer_put` by CPU `c`'s sender: the transfer no longer is CPU `c`'s, and its token is
    /// free unless a delivery path still holds the transfer, which keeps the token taken (its
    /// `xfer_token` goes back with the transfer's other per-transfer variables). Nothing without tokens.
    func freeToken(_ c: Expr) -> [ActionPart] {
        guard let space = tokenSpace else { return [] }
        return space.valueNames.map { name in
            let t = space[name]
            return If(tokenOwner[t] == c) {
                tokenOwner[t] <- cpu.none
                If(irqXfer.value == c) {
                    tokenHeldByPath[t] <- tokenHold["irq"]
                } else: {
                    If(workerXfer.value == c) { tokenHeldByPath[t] <- tokenHold["worker"] }
                }
            }
        }
    }

    /// The delivery path `process` ("irq" or "worker") drops its transfer reference
    /// (`scmi_xfer_command_release`): a token it kept taken is free. Nothing without tokens.
    func pathDropsToken(_ process: String) -> [ActionPart] {
        guard let space = tokenSpace else { return [] }
        return space.valueNames.map { name in
            If(tokenHeldByPath[space[name]] == tokenHold[process]) { tokenHeldByPath[space[name]] <- tokenHold["no"] }
        }
    }

    /// `scmi_xfer_command_acquire`'s lookup of the reply in `m`: `found` with the CPU whose pending
    /// transfer holds the reply's token (whoever sent the request, when the token is not
    /// reused), `notFound` when no pending transfer holds it.
    func lookUpTransfer(_ m: Expr, found: (Expr) -> [ActionPart], notFound: () -> [ActionPart]) -> [ActionPart] {
        guard let space = tokenSpace else {
            return [If(requestOf[m] != cpu.none) { found(requestOf[m]) } else: { notFound() }]
        }
        // One branch per token value: the holder is read from a constant index.
        var parts: [ActionPart] = notFound()
        for name in space.valueNames.reversed() {
            let t = space[name]
            let holder = tokenOwner[t]
            parts = [If(msgToken[m] == t && holder != cpu.none) { found(holder) } else: { parts }]
        }
        return parts
    }
}
