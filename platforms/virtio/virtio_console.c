/* The virtio-console driver (virtio 1.1, 5.3; QEMU's virtio-serial-device
 * and virtio-serial-pci): the console line (kernel/console.h) on one port,
 * WIRE_VIRTIO_PORT, a virtserialport on the host. Multiport is negotiated
 * for it: QEMU drops a virtconsole's (port 0's) output whenever the host
 * reads it slower than the guest writes, but holds a virtserialport's until
 * the host has room.
 *
 * Transmit: the console's bytes are copied into a ring and handed to the
 * device as one buffer per push, so a write of any size costs one
 * notification; the device finishes buffers in order, which frees the ring
 * from its start. Its interrupts stay off: the ring is reclaimed by looking.
 * Receive: every buffer of the receive queue comes back with what QEMU read
 * from its stdin and is offered to the console. One the console could not
 * take whole is held, with the ones behind it, and not posted again until
 * the console resumes: QEMU reads no more than the posted buffers hold. */
#include <string.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page.h"
#include "kernel/time.h"
#include "platforms/virtio/virtio.h"
#include "platforms/virtio/virtqueue.h"

#define VIRTIO_CONSOLE_F_MULTIPORT (1ull << 1)

/* Queues: port 0's pair, the control pair, then a pair per port from 1. */
#define CONTROL_RECEIVE_QUEUE 2
#define CONTROL_TRANSMIT_QUEUE 3
#define PORT_RECEIVE_QUEUE (2 * WIRE_VIRTIO_PORT + 2)
#define PORT_TRANSMIT_QUEUE (2 * WIRE_VIRTIO_PORT + 3)

/* Control messages (5.3.6.2). */
#define CONTROL_DEVICE_READY 0
#define CONTROL_PORT_READY 3
#define CONTROL_PORT_OPEN 6

struct control_message {
	uint32_t id;
	uint16_t event;
	uint16_t value;
};

#define CONTROL_BUFFERS 8
#define CONTROL_BUFFER_SIZE 128 /* a message, or one with a port's name */
#define RX_BUFFERS 32
#define RX_BUFFER_SIZE 4096 /* QEMU reads its stdin 4 KiB at a time */
#define TX_RING_PAGES 32    /* 128 KiB */
#define TX_RING_SIZE (TX_RING_PAGES * PAGE_SIZE)
#define QUEUE_SIZE_LIMIT 64
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1

struct virtio_console {
	struct virtio_device *vdev;
	struct virtqueue control_rx, control_tx, rx, tx;
	uint8_t (*control_buffers)[CONTROL_BUFFER_SIZE];
	struct control_message sent[3]; /* the handshake's; the device keeps none long */
	uint8_t *rx_buffers;
	/* The receive buffer the console has not taken whole, and how far. */
	uint8_t *held;
	uint32_t held_length, held_offset;
	bool receiving, resume_asked;
	/* The transmit ring, by bytes ever written: [done, pushed) is with
	 * the device, [pushed, written) waits for the next push. */
	uint8_t *tx_ring;
	uint64_t written, pushed, done;
	uint64_t chain_end[QUEUE_SIZE_LIMIT]; /* each chain's end, in push order */
	unsigned chains_pushed, chains_done;
};

static struct virtio_console *console; /* the one line */

static void post_rx(struct virtio_console *vc, uint8_t *buffer)
{
	struct virtq_buffer piece = {virt_to_phys(buffer), RX_BUFFER_SIZE, true};
	virtqueue_add(&vc->rx, &piece, 1, buffer); /* a descriptor per buffer: never full */
}

/* Offers the host's bytes to the console until it stops taking them. */
static void receive(struct virtio_console *vc)
{
	if (vc->receiving) { /* asked from inside the console's own call */
		vc->resume_asked = true;
		return;
	}
	vc->receiving = true;
	bool posted = false;
	for (;;) {
		if (!vc->held) {
			vc->held = virtqueue_next_used(&vc->rx, &vc->held_length);
			vc->held_offset = 0;
			if (!vc->held)
				break;
			if (vc->held_length > RX_BUFFER_SIZE)
				vc->held_length = RX_BUFFER_SIZE;
		}
		vc->resume_asked = false;
		vc->held_offset += console_line_received(vc->held + vc->held_offset, vc->held_length - vc->held_offset);
		if (vc->held_offset < vc->held_length && !vc->resume_asked)
			break; /* held until resume_receive */
		if (vc->held_offset == vc->held_length) {
			post_rx(vc, vc->held);
			vc->held = NULL;
			posted = true;
		}
	}
	vc->receiving = false;
	if (posted)
		virtqueue_kick(&vc->rx);
}

static void resume_receive(void) { receive(console); }

/* Takes back the transmit chains the device has finished. */
static void reclaim_tx(struct virtio_console *vc)
{
	uint32_t len;
	while (virtqueue_next_used(&vc->tx, &len))
		vc->done = vc->chain_end[vc->chains_done++ % QUEUE_SIZE_LIMIT];
}

static size_t line_write(const void *bytes, size_t n)
{
	struct virtio_console *vc = console;
	reclaim_tx(vc);
	size_t room = TX_RING_SIZE - (vc->written - vc->done);
	size_t take = n < room ? n : room;
	for (size_t copied = 0, piece; copied < take; copied += piece) {
		size_t at = (vc->written + copied) % TX_RING_SIZE;
		piece = take - copied < TX_RING_SIZE - at ? take - copied : TX_RING_SIZE - at;
		memcpy(vc->tx_ring + at, (const uint8_t *)bytes + copied, piece);
	}
	vc->written += take;
	return take;
}

/* Hands [pushed, written) to the device: one chain, or two where it wraps
 * round the ring's end. Waits for a free descriptor if it must. */
static void line_push(void)
{
	struct virtio_console *vc = console;
	while (vc->pushed < vc->written) {
		size_t at = vc->pushed % TX_RING_SIZE;
		size_t len = vc->written - vc->pushed;
		if (len > TX_RING_SIZE - at)
			len = TX_RING_SIZE - at;
		struct virtq_buffer piece = {virt_to_phys(vc->tx_ring + at), (uint32_t)len, false};
		reclaim_tx(vc);
		if (virtqueue_add(&vc->tx, &piece, 1, vc->tx_ring + at)) {
			cpu_relax(); /* every descriptor is with the device */
			continue;
		}
		vc->pushed += len;
		vc->chain_end[vc->chains_pushed++ % QUEUE_SIZE_LIMIT] = vc->pushed;
		virtqueue_kick(&vc->tx);
	}
}

static void line_wait_room(void)
{
	struct virtio_console *vc = console;
	for (reclaim_tx(vc); vc->written - vc->done == TX_RING_SIZE; reclaim_tx(vc))
		cpu_relax();
}

static bool line_drain(uint64_t max_ns)
{
	struct virtio_console *vc = console;
	/* Early in boot the TSC's rate is not measured yet: take it as 1 GHz. */
	uint64_t tsc_hz = time_tsc_hz() ? time_tsc_hz() : 1000000000;
	uint64_t deadline = max_ns ? rdtsc() + max_ns / 1000 * (tsc_hz / 1000000) : 0;
	for (reclaim_tx(vc); vc->done != vc->pushed; reclaim_tx(vc)) {
		if (deadline && rdtsc() > deadline)
			return false;
		cpu_relax();
	}
	return true;
}

static const struct console_line virtio_console_line = {
    .write = line_write,
    .push = line_push,
    .wait_room = line_wait_room,
    .drain = line_drain,
    .resume_receive = resume_receive,
};

static void post_control(struct virtio_console *vc, unsigned i)
{
	struct virtq_buffer piece = {virt_to_phys(vc->control_buffers[i]), CONTROL_BUFFER_SIZE, true};
	virtqueue_add(&vc->control_rx, &piece, 1, vc->control_buffers[i]);
}

/* The device's messages (ports added, opened by the host, named) ask
 * nothing of a driver that knows its one port already. */
static void take_control_messages(struct virtio_console *vc)
{
	uint8_t *buffer;
	uint32_t len;
	bool posted = false;
	while ((buffer = virtqueue_next_used(&vc->control_rx, &len))) {
		post_control(vc, (unsigned)((buffer - vc->control_buffers[0]) / CONTROL_BUFFER_SIZE));
		posted = true;
	}
	if (posted)
		virtqueue_kick(&vc->control_rx);
	while (virtqueue_next_used(&vc->control_tx, &len))
		;
}

static void interrupt(struct virtio_device *vdev)
{
	struct virtio_console *vc = vdev->driver_private;
	take_control_messages(vc);
	receive(vc);
}

static void send_control(struct virtio_console *vc, unsigned slot, uint32_t id, uint16_t event)
{
	vc->sent[slot] = (struct control_message){.id = id, .event = event, .value = 1};
	struct virtq_buffer piece = {virt_to_phys(&vc->sent[slot]), sizeof vc->sent[slot], false};
	virtqueue_add(&vc->control_tx, &piece, 1, &vc->sent[slot]);
}

/* The driver is ready; the port is ready and open on the guest's side, so
 * QEMU passes it what it reads (5.3.6.2). */
static void open_port(struct virtio_console *vc)
{
	send_control(vc, 0, 0, CONTROL_DEVICE_READY);
	send_control(vc, 1, WIRE_VIRTIO_PORT, CONTROL_PORT_READY);
	send_control(vc, 2, WIRE_VIRTIO_PORT, CONTROL_PORT_OPEN);
	virtqueue_kick(&vc->control_tx);
}

static int alloc_buffers(struct virtio_console *vc)
{
	uint64_t control = page_alloc(1);
	uint64_t rx = page_alloc(RX_BUFFERS * RX_BUFFER_SIZE / PAGE_SIZE);
	uint64_t tx = page_alloc(TX_RING_PAGES);
	vc->control_buffers = control ? phys_to_virt(control) : NULL;
	vc->rx_buffers = rx ? phys_to_virt(rx) : NULL;
	vc->tx_ring = tx ? phys_to_virt(tx) : NULL;
	return control && rx && tx ? 0 : -ENOMEM;
}

static void free_console(struct virtio_console *vc)
{
	struct virtqueue *queues[] = {&vc->control_rx, &vc->control_tx, &vc->rx, &vc->tx};
	for (unsigned i = 0; i < 4; i++)
		if (queues[i]->desc)
			virtqueue_destroy(queues[i]);
	if (vc->control_buffers)
		page_free(virt_to_phys(vc->control_buffers), 1);
	if (vc->rx_buffers)
		page_free(virt_to_phys(vc->rx_buffers), RX_BUFFERS * RX_BUFFER_SIZE / PAGE_SIZE);
	if (vc->tx_ring)
		page_free(virt_to_phys(vc->tx_ring), TX_RING_PAGES);
	kfree(vc);
}

int virtio_console_probe(struct virtio_device *vdev)
{
	if (console)
		return -EBUSY; /* one console line */
	struct virtio_console *vc = kzalloc(sizeof *vc);
	if (!vc)
		return -ENOMEM;
	vc->vdev = vdev;
	vdev->driver_private = vc;
	vdev->interrupt = interrupt;
	uint64_t features = 0;
	int err = virtio_negotiate(vdev, VIRTIO_F_VERSION_1 | VIRTIO_CONSOLE_F_MULTIPORT, &features);
	if (!err && !(features & VIRTIO_CONSOLE_F_MULTIPORT))
		err = -ENODEV;
	if (!err)
		err = vdev->transport->interrupt_start(vdev);
	if (!err)
		err = virtqueue_init(&vc->control_rx, vdev, CONTROL_RECEIVE_QUEUE, CONTROL_BUFFERS);
	if (!err)
		err = virtqueue_init(&vc->control_tx, vdev, CONTROL_TRANSMIT_QUEUE, 4);
	if (!err)
		err = virtqueue_init(&vc->rx, vdev, PORT_RECEIVE_QUEUE, RX_BUFFERS);
	if (!err)
		err = virtqueue_init(&vc->tx, vdev, PORT_TRANSMIT_QUEUE, QUEUE_SIZE_LIMIT);
	if (!err && (vc->control_rx.size < CONTROL_BUFFERS || vc->rx.size < RX_BUFFERS || vc->control_tx.size < 4))
		err = -ENODEV;
	if (!err)
		err = alloc_buffers(vc);
	if (err) {
		klog("virtio-console: %s: cannot start the device (error %d); the console stays on the UART",
		     vdev->where, err);
		virtio_abandon(vdev);
		vdev->interrupt = NULL;
		free_console(vc);
		return err;
	}
	vc->tx.avail->flags = VIRTQ_AVAIL_F_NO_INTERRUPT;
	vc->control_tx.avail->flags = VIRTQ_AVAIL_F_NO_INTERRUPT;
	for (unsigned i = 0; i < CONTROL_BUFFERS; i++)
		post_control(vc, i);
	for (unsigned i = 0; i < RX_BUFFERS; i++)
		post_rx(vc, vc->rx_buffers + i * RX_BUFFER_SIZE);
	virtio_driver_ok(vdev);
	virtqueue_kick(&vc->control_rx);
	virtqueue_kick(&vc->rx);
	open_port(vc);
	console = vc;
	console_attach_line(&virtio_console_line);
	klog("virtio-console: %s: the console line is port %u", vdev->where, WIRE_VIRTIO_PORT);
	return 0;
}
