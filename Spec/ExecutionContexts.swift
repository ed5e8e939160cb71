import TransitionSystems
import Vocabulary

/// CPUs as execution contexts (`--contexts on`): "2 CPUs" means two CPUs, not a sender per CPU
/// plus an IRQ path and a worker that run wherever and whenever they like.
///
/// What the spec states, from where the kernel runs each path:
/// - The IRQ handler (`scmi_vio_complete_cb`, called by virtio_ring.c vring_interrupt()) starts on
///   a CPU that takes interrupts (`irq_cpu`; `--irq-cpu N` fixes which), and runs to its end before
///   that CPU's sender or worker takes another step: it dequeues buffer after buffer until the used
///   ring is empty (its `get_buf` ends it then). Nested interrupts are not modelled.
/// - A CPU takes no interrupt while its sender is inside `poll_done`'s drain or the worker on it is
///   inside the pending-list drain: both hold a lock taken with `spin_lock_irqsave`
///   (virtio.c virtio_poll_done(), scmi_vio_deferred_tx_worker()).
/// - The worker is a kernel thread of an unbound workqueue (virtio.c scmi_vio_probe():
///   alloc_workqueue(WQ_UNBOUND)): it starts on any CPU that can run it and, between its rounds of
///   `complete_cb`, where it holds no lock, may move to another (`worker_cpu`). A thread holding a
///   spinlock is not preempted: while the sender or the worker on a CPU holds one, the other does
///   not run on that CPU; otherwise they interleave as preemption allows.
///
/// What it leaves out, each of which only removes runs (so a proof with contexts off covers
/// contexts on, and leaving them out can keep a false alarm but never hide a bug):
/// - callers of a polled transfer that run with interrupts or preemption off for the whole
///   transfer: such a caller only forbids the IRQ or the worker on its CPU during the transfer,
///   so every run it allows is a run of a preemptible caller;
/// - a CPU spinning for a lock with interrupts already off (it could take no interrupt meanwhile);
/// - the timer and the device, which are not code on a CPU.
extension TransportModel {
    /// The parameter of the steps that place a path on a CPU: the IRQ handler's start, the worker's
    /// start and each of its `complete_cb` rounds.
    var contextCPU: Parameter { Parameter("on", cpu) }

    /// A step that places its path on a CPU: with execution contexts it takes the parameter `on` (the
    /// CPU the path runs on from this step) and says so after `doc`; without them it takes none. The
    /// body gets the CPU, or nil.
    func placingStep<L: ProgramCounter>(
        _ process: String, _ name: String, from: L, begins: [Operation], doc: String, placed: String, source: String,
        @ActionBuilder _ body: (Expr?) -> [ActionPart]
    ) -> Step {
        guard configuration.contexts != nil else {
            return step(process, name, from: from, begins: begins, doc: doc, source: source) { body(nil) }
        }
        return step(process, name, contextCPU, from: from, begins: begins, doc: doc + " " + placed, source: source) { k in body(k) }
    }

    /// Sender `k` holds the channel lock with interrupts off.
    func interruptsOff(sender: Process, _ k: Expr) -> Expr {
        .or(SenderPC.holdingChannelLock.map { sender.at($0, k) })
    }

    /// The worker holds `pending_lock` with interrupts off (on `worker_cpu`).
    func interruptsOff(worker: Process) -> Expr {
        .or(WorkerPC.holdingPendingLock.map { worker.at($0) })
    }

    /// CPU `k` takes an interrupt: neither its sender nor the worker on it has interrupts off.
    func takesInterrupts(_ k: Expr, _ sender: Process, _ worker: Process) -> Expr {
        !interruptsOff(sender: sender, k) && !(workerCPU.value == k && interruptsOff(worker: worker))
    }

    /// A thread other than sender `k` may run on CPU `k`: no handler interrupted it and its sender
    /// holds no spinlock.
    func threadMayRun(on k: Expr, _ sender: Process) -> Expr {
        irqCPU.value != k && !interruptsOff(sender: sender, k)
    }

    /// The processes with each step confined to where its path runs, for a configuration with
    /// execution contexts; the processes unchanged without.
    func onTheirCPUs(_ sender: Process, _ irq: Process, _ worker: Process) -> (sender: Process, irq: Process, worker: Process) {
        guard let contexts = configuration.contexts else { return (sender, irq, worker) }
        let on = Expr.parameter(contextCPU.name)
        func hasCPUParameter(_ action: Action) -> Bool { action.parameters.contains { $0.name == contextCPU.name } }

        // A sender steps unless a handler interrupted its CPU or the worker there holds pending_lock.
        let c = Expr.parameter(sender.instance!.name)
        let senderMayRun = irqCPU.value != c && !(workerCPU.value == c && interruptsOff(worker: worker))
        let confinedSender = Process(rebuilding: sender, actions: sender.actions.map { action in
            var action = action
            action.guards.append(senderMayRun)
            return action
        })

        // The handler starts only on a CPU that takes interrupts (the one given by --irq-cpu), and
        // once started goes on only where it started.
        var start = irqCPU.value == cpu.none && handlerHasWork && takesInterrupts(on, sender, worker)
        if let n = contexts.irqCPU { start = start && on == cpu[cpu.valueNames[n]] }
        let confinedIRQ = Process(rebuilding: irq, actions: irq.actions.map { action in
            guard hasCPUParameter(action) else { return action }
            var action = action
            action.guards.append(start || irqCPU.value == on)
            return action
        })

        // The worker steps only while its CPU is neither interrupted nor held by its sender's
        // spinlock, and starts or moves only to a CPU where it may run.
        let workerMayRun = Expr.forAll("k", in: cpu) { k in !(workerCPU.value == k && !threadMayRun(on: k, sender)) }
        let confinedWorker = Process(rebuilding: worker, actions: worker.actions.map { action in
            var action = action
            action.guards.append(workerMayRun)
            if hasCPUParameter(action) { action.guards.append(threadMayRun(on: on, sender)) }
            return action
        })
        return (confinedSender, confinedIRQ, confinedWorker)
    }
}
