//! The preview's HTTP/1.1 server, on hyper and a small tokio runtime: it accepts on
//! 127.0.0.1, bounds what a client may cost (connections, head size and count, time), and
//! answers GET and HEAD from the in-memory site ([`super::respond`]) or with the
//! live-reload event stream. Every connection carries one request and is then closed.

use super::page::EVENTS_PATH;
use super::respond::{respond, Reply};
use super::Shared;
use bytes::Bytes;
use http_body_util::{BodyExt, Either, Full, Limited};
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper::header::{self, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::convert::Infallible;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};

/// Threads that run connections; rendering has rayon's threads, and the machines this runs
/// on are often small, so two are plenty for one author's browser.
const WORKER_THREADS: usize = 2;
/// Connections served at once (each live-reload tab holds one).
const MAX_CONNECTIONS: usize = 256;
/// Connections beyond [`MAX_CONNECTIONS`] that are told 503 at once; beyond both, no more
/// are accepted until there is room, so a flood cannot run the process out of descriptors.
const MAX_REFUSING: usize = 64;
/// Largest request head (request line and headers); browsers send far less.
const MAX_HEAD: usize = 16 * 1024;
/// Most header lines in a request head.
const MAX_HEADERS: usize = 100;
/// How long a client may take to send its request head: a client that trickles it byte by
/// byte is cut off then. Browsers on the same machine send it in one packet.
const HEAD_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a whole request may take, head and response, unless it is an event stream:
/// a client that does not read its response is cut off then.
const REQUEST_DEADLINE: Duration = Duration::from_secs(30);
/// Largest request body read (and dropped) before answering 405, so that the answer is
/// not lost to a reset from closing a socket with unread data.
const MAX_DRAINED_BODY: usize = 64 * 1024;
/// Comment lines on the event stream keep proxies and browsers from timing it out, and
/// find closed tabs that the end-of-stream check missed.
const HEARTBEAT: Duration = Duration::from_secs(15);

type ServeBody = Either<Full<Bytes>, EventStream>;

/// The runtime that runs the server.
pub fn runtime() -> io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(WORKER_THREADS)
        .thread_name("aushang-http")
        .enable_io()
        .enable_time()
        .build()
}

/// Listen on the loopback interface only: the preview shows unpublished content. Port 0
/// picks a free port. Call inside [`runtime`].
pub async fn bind(port: u16) -> io::Result<TcpListener> {
    TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await
}

/// Accept and answer connections until the process is stopped.
pub async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let serving = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let refusing = Arc::new(Semaphore::new(MAX_REFUSING));
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // E.g. out of file descriptors: back off instead of spinning.
                super::warn(format_args!("warning: accepting a connection: {e}"));
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        if let Ok(permit) = Arc::clone(&serving).try_acquire_owned() {
            tokio::spawn(connection(stream, Arc::clone(&shared), permit));
        } else if let Ok(permit) = Arc::clone(&refusing).try_acquire_owned() {
            tokio::spawn(refuse_busy(stream, permit));
        } else {
            // Beyond both limits, wait for room, and meanwhile accept nothing: further
            // clients wait in the kernel's queue instead of being dropped unanswered.
            tokio::select! {
                biased;
                Ok(permit) = Arc::clone(&serving).acquire_owned() => {
                    tokio::spawn(connection(stream, Arc::clone(&shared), permit));
                }
                Ok(permit) = Arc::clone(&refusing).acquire_owned() => {
                    tokio::spawn(refuse_busy(stream, permit));
                }
                // Only if the semaphores were closed, which they never are.
                else => {}
            }
        }
    }
}

fn http1_builder() -> http1::Builder {
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEAD_TIMEOUT)
        .max_header_size(MAX_HEAD)
        .max_headers(MAX_HEADERS)
        .keep_alive(false);
    builder
}

/// One connection, within [`REQUEST_DEADLINE`] unless it turned into an event stream.
async fn connection(stream: TcpStream, shared: Arc<Shared>, _permit: OwnedSemaphorePermit) {
    let streaming = Arc::new(AtomicBool::new(false));
    let service = {
        let streaming = Arc::clone(&streaming);
        service_fn(move |request| answer(request, Arc::clone(&shared), Arc::clone(&streaming)))
    };
    let conn = http1_builder().serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    // Errors are the client's (gone, too slow, malformed): hyper has answered what it could.
    tokio::select! {
        _ = conn.as_mut() => return,
        () = tokio::time::sleep(REQUEST_DEADLINE) => {}
    }
    if streaming.load(Ordering::SeqCst) {
        let _ = conn.await;
    }
}

/// Answer 503 to a connection over the limit, through the same parser and limits.
async fn refuse_busy(stream: TcpStream, _permit: OwnedSemaphorePermit) {
    let service = service_fn(|_: Request<Incoming>| async {
        let reply = Reply::text(StatusCode::SERVICE_UNAVAILABLE, "too many connections\n");
        Ok::<_, Infallible>(reply_response(reply))
    });
    let conn = http1_builder().serve_connection(TokioIo::new(stream), service);
    let _ = tokio::time::timeout(HEAD_TIMEOUT, conn).await;
}

async fn answer(
    request: Request<Incoming>,
    shared: Arc<Shared>,
    streaming: Arc<AtomicBool>,
) -> Result<Response<ServeBody>, Infallible> {
    let head_only = match *request.method() {
        Method::GET => false,
        Method::HEAD => true,
        _ => {
            let drained = Limited::new(request.into_body(), MAX_DRAINED_BODY).collect();
            let _ = tokio::time::timeout(Duration::from_secs(1), drained).await;
            let mut response =
                reply_response(Reply::text(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n"));
            response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
            return Ok(response);
        }
    };
    if request.uri().path() == EVENTS_PATH {
        if !head_only {
            streaming.store(true, Ordering::SeqCst);
        }
        return Ok(event_stream(&shared, head_only));
    }
    let state = shared.snapshot();
    let reply = respond(&state, request.uri().path(), request.uri().query());
    // For HEAD, hyper sends the headers of GET (the length included) and no body.
    Ok(reply_response(reply))
}

/// The headers every answer carries: the preview is never cached, and types are not guessed.
fn common_headers(response: &mut Response<ServeBody>, content_type: &'static str) {
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
}

fn reply_response(reply: Reply) -> Response<ServeBody> {
    let mut response = Response::new(Either::Left(Full::new(reply.body)));
    *response.status_mut() = reply.status;
    common_headers(&mut response, reply.content_type);
    if let Some(location) = reply.location {
        match HeaderValue::from_str(&location) {
            Ok(value) => {
                response.headers_mut().insert(header::LOCATION, value);
            }
            // Not reachable with hyper's parser; a redirect without a target is useless.
            Err(_) => *response.status_mut() = StatusCode::NOT_FOUND,
        }
    }
    response
}

/// Server-sent events: the current generation right away, then a `reload` event with the
/// new one after every change, and a comment every [`HEARTBEAT`]. The events are written
/// by a task of their own, which ends when the connection (and with it the receiver) goes.
fn event_stream(shared: &Shared, head_only: bool) -> Response<ServeBody> {
    let (tx, rx) = mpsc::channel::<Bytes>(4);
    if !head_only {
        let mut generations = shared.subscribe();
        tokio::spawn(async move {
            let mut seen = *generations.borrow_and_update();
            // `retry`: reconnect quickly after a server restart.
            let first = format!("retry: 1000\nevent: reload\ndata: {seen}\n\n");
            if tx.send(Bytes::from(first)).await.is_err() {
                return;
            }
            loop {
                let message = tokio::select! {
                    changed = generations.changed() => {
                        if changed.is_err() {
                            return;
                        }
                        let now = *generations.borrow_and_update();
                        if now == seen {
                            continue;
                        }
                        seen = now;
                        format!("event: reload\ndata: {now}\n\n")
                    }
                    () = tokio::time::sleep(HEARTBEAT) => ": heartbeat\n\n".to_string(),
                    () = tx.closed() => return,
                };
                if tx.send(Bytes::from(message)).await.is_err() {
                    return;
                }
            }
        });
    }
    let mut response = Response::new(Either::Right(EventStream { events: rx }));
    common_headers(&mut response, "text/event-stream");
    response
}

/// The body of an event stream: whatever its task sends, as it comes.
pub struct EventStream {
    events: mpsc::Receiver<Bytes>,
}

impl Body for EventStream {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.events.poll_recv(cx).map(|event| event.map(|bytes| Ok(Frame::data(bytes))))
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::default()
    }
}
