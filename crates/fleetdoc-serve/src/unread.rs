//! A deadline on writing: a client that sends requests but never reads the answers (a
//! pipelined flood) would otherwise hold its connection for as long as it likes, with the
//! server blocked on a full socket. [`Unread`] wraps a connection's socket: when a write
//! cannot go on because the client is not reading, the connection becomes a candidate for
//! eviction at the connection limit (see `evict.rs`), and if no byte can be written for
//! [`crate::limits::write_timeout`] the write fails, which closes the connection. Any
//! progress resets both.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::Sleep;

use crate::evict::Ticket;

/// A socket whose writes must make progress within `limit`.
pub struct Unread<S> {
    inner: S,
    limit: Duration,
    deadline: Option<Pin<Box<Sleep>>>,
    ticket: Arc<Ticket>,
}

impl<S> Unread<S> {
    pub fn new(inner: S, limit: Duration, ticket: Arc<Ticket>) -> Self {
        Unread {
            inner,
            limit,
            deadline: None,
            ticket,
        }
    }

    /// The write is blocked: start the clock (once), and fail when it has run out.
    fn blocked<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        let Unread {
            deadline,
            limit,
            ticket,
            ..
        } = self;
        let clock = deadline.get_or_insert_with(|| {
            ticket.stalled();
            Box::pin(tokio::time::sleep(*limit))
        });
        match clock.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client did not read its response in time",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn moved(&mut self) {
        if self.deadline.take().is_some() {
            self.ticket.flowing();
        }
    }

    fn watch<T>(&mut self, cx: &mut Context<'_>, r: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        match r {
            Poll::Pending => self.blocked(cx),
            done => {
                self.moved();
                done
            }
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Unread<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Unread<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.watch(cx, r)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.watch(cx, r)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.inner).poll_flush(cx);
        this.watch(cx, r)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.inner).poll_shutdown(cx);
        this.watch(cx, r)
    }
}
