package dev.weft;

import dev.weft.function.*;
import java.io.Serializable;

/**
 * A handle to a live actor. {@link Serializable}: pass it to tasks and to other actors; every
 * holder may call the actor. {@code task(Class::method, args...)} takes 0 to 6 method arguments,
 * each a value or an {@link ObjectRef} of the parameter's type.
 *
 * @param <T> the actor's class
 */
public interface ActorHandle<T> extends Serializable {
  Object[] NO_ARGS = new Object[0];

  ActorId actorId();

  /** The actor's cluster-wide name, or null. */
  String name();

  /**
   * Kills the actor now, without restarting it; pending and later calls fail with {@link
   * ActorDiedException}.
   */
  void kill();

  // GENERATED-BEGIN (scripts/gen-api-overloads.py)
  default <R> ActorCall<R> task(Fn1<T, R> method) {
    return new ActorCall<>(this, method, NO_ARGS);
  }

  default ActorCall<Void> task(VoidFn1<T> method) {
    return new ActorCall<>(this, method, NO_ARGS);
  }

  default <R, A0> ActorCall<R> task(Fn2<T, A0, R> method, A0 a0) {
    return new ActorCall<>(this, method, new Object[] {a0});
  }

  default <A0> ActorCall<Void> task(VoidFn2<T, A0> method, A0 a0) {
    return new ActorCall<>(this, method, new Object[] {a0});
  }

  default <R, A0> ActorCall<R> task(Fn2<T, A0, R> method, ObjectRef<A0> a0) {
    return new ActorCall<>(this, method, new Object[] {a0});
  }

  default <A0> ActorCall<Void> task(VoidFn2<T, A0> method, ObjectRef<A0> a0) {
    return new ActorCall<>(this, method, new Object[] {a0});
  }

  default <R, A0, A1> ActorCall<R> task(Fn3<T, A0, A1, R> method, A0 a0, A1 a1) {
    return new ActorCall<>(this, method, new Object[] {a0, a1});
  }

  default <A0, A1> ActorCall<Void> task(VoidFn3<T, A0, A1> method, A0 a0, A1 a1) {
    return new ActorCall<>(this, method, new Object[] {a0, a1});
  }

  default <R, A0, A1> ActorCall<R> task(Fn3<T, A0, A1, R> method, A0 a0, ObjectRef<A1> a1) {
    return new ActorCall<>(this, method, new Object[] {a0, a1});
  }

  default <A0, A1> ActorCall<Void> task(VoidFn3<T, A0, A1> method, A0 a0, ObjectRef<A1> a1) {
    return new ActorCall<>(this, method, new Object[] {a0, a1});
  }

  default <R, A0, A1> ActorCall<R> task(Fn3<T, A0, A1, R> method, ObjectRef<A0> a0, A1 a1) {
    return new ActorCall<>(this, method, new Object[] {a0, a1});
  }

  default <A0, A1> ActorCall<Void> task(VoidFn3<T, A0, A1> method, ObjectRef<A0> a0, A1 a1) {
    return new ActorCall<>(this, method, new Object[] {a0, a1});
  }

  default <R, A0, A1> ActorCall<R> task(
      Fn3<T, A0, A1, R> method, ObjectRef<A0> a0, ObjectRef<A1> a1) {
    return new ActorCall<>(this, method, new Object[] {a0, a1});
  }

  default <A0, A1> ActorCall<Void> task(
      VoidFn3<T, A0, A1> method, ObjectRef<A0> a0, ObjectRef<A1> a1) {
    return new ActorCall<>(this, method, new Object[] {a0, a1});
  }

  default <R, A0, A1, A2> ActorCall<R> task(Fn4<T, A0, A1, A2, R> method, A0 a0, A1 a1, A2 a2) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2});
  }

  default <A0, A1, A2> ActorCall<Void> task(VoidFn4<T, A0, A1, A2> method, A0 a0, A1 a1, A2 a2) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2});
  }

  default <R, A0, A1, A2> ActorCall<R> task(
      Fn4<T, A0, A1, A2, R> method, A0 a0, A1 a1, ObjectRef<A2> a2) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2});
  }

  default <A0, A1, A2> ActorCall<Void> task(
      VoidFn4<T, A0, A1, A2> method, A0 a0, A1 a1, ObjectRef<A2> a2) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2});
  }

  default <R, A0, A1, A2> ActorCall<R> task(
      Fn4<T, A0, A1, A2, R> method, A0 a0, ObjectRef<A1> a1, A2 a2) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2});
  }

  default <A0, A1, A2> ActorCall<Void> task(
      VoidFn4<T, A0, A1, A2> method, A0 a0, ObjectRef<A1> a1, A2 a2) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2});
  }

  default <R, A0, A1, A2> ActorCall<R> task(
      Fn4<T, A0, A1, A2, R> method, A0 a0, ObjectRef<A1> a1, ObjectRef<A2> a2) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2});
  }

  default <A0, A1, A2> ActorCall<Void> task(
      VoidFn4<T, A0, A1, A2> method, A0 a0, ObjectRef<A1> a1, ObjectRef<A2> a2) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2});
  }

  default <R, A0, A1, A2> ActorCall<R> task(
      Fn4<T, A0, A1, A2, R> method, ObjectRef<A0> a0, A1 a1, A2 a2) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2});
  }

  default <A0, A1, A2> ActorCall<Void> task(
      VoidFn4<T, A0, A1, A2> method, ObjectRef<A0> a0, A1 a1, A2 a2) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2});
  }

  default <R, A0, A1, A2> ActorCall<R> task(
      Fn4<T, A0, A1, A2, R> method, ObjectRef<A0> a0, A1 a1, ObjectRef<A2> a2) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2});
  }

  default <A0, A1, A2> ActorCall<Void> task(
      VoidFn4<T, A0, A1, A2> method, ObjectRef<A0> a0, A1 a1, ObjectRef<A2> a2) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2});
  }

  default <R, A0, A1, A2> ActorCall<R> task(
      Fn4<T, A0, A1, A2, R> method, ObjectRef<A0> a0, ObjectRef<A1> a1, A2 a2) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2});
  }

  default <A0, A1, A2> ActorCall<Void> task(
      VoidFn4<T, A0, A1, A2> method, ObjectRef<A0> a0, ObjectRef<A1> a1, A2 a2) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2});
  }

  default <R, A0, A1, A2> ActorCall<R> task(
      Fn4<T, A0, A1, A2, R> method, ObjectRef<A0> a0, ObjectRef<A1> a1, ObjectRef<A2> a2) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2});
  }

  default <A0, A1, A2> ActorCall<Void> task(
      VoidFn4<T, A0, A1, A2> method, ObjectRef<A0> a0, ObjectRef<A1> a1, ObjectRef<A2> a2) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2});
  }

  default <R, A0, A1, A2, A3> ActorCall<R> task(
      Fn5<T, A0, A1, A2, A3, R> method, A0 a0, A1 a1, A2 a2, A3 a3) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3});
  }

  default <A0, A1, A2, A3> ActorCall<Void> task(
      VoidFn5<T, A0, A1, A2, A3> method, A0 a0, A1 a1, A2 a2, A3 a3) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3});
  }

  default <R, A0, A1, A2, A3> ActorCall<R> task(
      Fn5<T, A0, A1, A2, A3, R> method, A0 a0, A1 a1, A2 a2, ObjectRef<A3> a3) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3});
  }

  default <A0, A1, A2, A3> ActorCall<Void> task(
      VoidFn5<T, A0, A1, A2, A3> method, A0 a0, A1 a1, A2 a2, ObjectRef<A3> a3) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3});
  }

  default <R, A0, A1, A2, A3> ActorCall<R> task(
      Fn5<T, A0, A1, A2, A3, R> method, A0 a0, A1 a1, ObjectRef<A2> a2, A3 a3) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3});
  }

  default <A0, A1, A2, A3> ActorCall<Void> task(
      VoidFn5<T, A0, A1, A2, A3> method, A0 a0, A1 a1, ObjectRef<A2> a2, A3 a3) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3});
  }

  default <R, A0, A1, A2, A3> ActorCall<R> task(
      Fn5<T, A0, A1, A2, A3, R> method, A0 a0, A1 a1, ObjectRef<A2> a2, ObjectRef<A3> a3) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3});
  }

  default <A0, A1, A2, A3> ActorCall<Void> task(
      VoidFn5<T, A0, A1, A2, A3> method, A0 a0, A1 a1, ObjectRef<A2> a2, ObjectRef<A3> a3) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3});
  }

  default <R, A0, A1, A2, A3> ActorCall<R> task(
      Fn5<T, A0, A1, A2, A3, R> method, A0 a0, ObjectRef<A1> a1, A2 a2, A3 a3) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3});
  }

  default <A0, A1, A2, A3> ActorCall<Void> task(
      VoidFn5<T, A0, A1, A2, A3> method, A0 a0, ObjectRef<A1> a1, A2 a2, A3 a3) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3});
  }

  default <R, A0, A1, A2, A3> ActorCall<R> task(
      Fn5<T, A0, A1, A2, A3, R> method, A0 a0, ObjectRef<A1> a1, A2 a2, ObjectRef<A3> a3) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3});
  }

  default <A0, A1, A2, A3> ActorCall<Void> task(
      VoidFn5<T, A0, A1, A2, A3> method, A0 a0, ObjectRef<A1> a1, A2 a2, ObjectRef<A3> a3) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3});
  }

  default <R, A0, A1, A2, A3> ActorCall<R> task(
      Fn5<T, A0, A1, A2, A3, R> method, A0 a0, ObjectRef<A1> a1, ObjectRef<A2> a2, A3 a3) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3});
  }

  default <A0, A1, A2, A3> ActorCall<Void> task(
      VoidFn5<T, A0, A1, A2, A3> method, A0 a0, ObjectRef<A1> a1, ObjectRef<A2> a2, A3 a3) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3});
  }

  default <R, A0, A1, A2, A3> ActorCall<R> task(
      Fn5<T, A0, A1, A2, A3, R> method,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3});
  }

  default <A0, A1, A2, A3> ActorCall<Void> task(
      VoidFn5<T, A0, A1, A2, A3> method,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3});
  }

  default <R, A0, A1, A2, A3> ActorCall<R> task(
      Fn5<T, A0, A1, A2, A3, R> method, ObjectRef<A0> a0, A1 a1, A2 a2, A3 a3) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3});
  }

  default <A0, A1, A2, A3> ActorCall<Void> task(
      VoidFn5<T, A0, A1, A2, A3> method, ObjectRef<A0> a0, A1 a1, A2 a2, A3 a3) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3});
  }

  default <R, A0, A1, A2, A3> ActorCall<R> task(
      Fn5<T, A0, A1, A2, A3, R> method, ObjectRef<A0> a0, A1 a1, A2 a2, ObjectRef<A3> a3) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3});
  }

  default <A0, A1, A2, A3> ActorCall<Void> task(
      VoidFn5<T, A0, A1, A2, A3> method, ObjectRef<A0> a0, A1 a1, A2 a2, ObjectRef<A3> a3) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3});
  }

  default <R, A0, A1, A2, A3> ActorCall<R> task(
      Fn5<T, A0, A1, A2, A3, R> method, ObjectRef<A0> a0, A1 a1, ObjectRef<A2> a2, A3 a3) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3});
  }

  default <A0, A1, A2, A3> ActorCall<Void> task(
      VoidFn5<T, A0, A1, A2, A3> method, ObjectRef<A0> a0, A1 a1, ObjectRef<A2> a2, A3 a3) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3});
  }

  default <R, A0, A1, A2, A3> ActorCall<R> task(
      Fn5<T, A0, A1, A2, A3, R> method,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3});
  }

  default <A0, A1, A2, A3> ActorCall<Void> task(
      VoidFn5<T, A0, A1, A2, A3> method,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3});
  }

  default <R, A0, A1, A2, A3> ActorCall<R> task(
      Fn5<T, A0, A1, A2, A3, R> method, ObjectRef<A0> a0, ObjectRef<A1> a1, A2 a2, A3 a3) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3});
  }

  default <A0, A1, A2, A3> ActorCall<Void> task(
      VoidFn5<T, A0, A1, A2, A3> method, ObjectRef<A0> a0, ObjectRef<A1> a1, A2 a2, A3 a3) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3});
  }

  default <R, A0, A1, A2, A3> ActorCall<R> task(
      Fn5<T, A0, A1, A2, A3, R> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3});
  }

  default <A0, A1, A2, A3> ActorCall<Void> task(
      VoidFn5<T, A0, A1, A2, A3> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3});
  }

  default <R, A0, A1, A2, A3> ActorCall<R> task(
      Fn5<T, A0, A1, A2, A3, R> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3});
  }

  default <A0, A1, A2, A3> ActorCall<Void> task(
      VoidFn5<T, A0, A1, A2, A3> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3});
  }

  default <R, A0, A1, A2, A3> ActorCall<R> task(
      Fn5<T, A0, A1, A2, A3, R> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3});
  }

  default <A0, A1, A2, A3> ActorCall<Void> task(
      VoidFn5<T, A0, A1, A2, A3> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3});
  }

  default <R, A0, A1, A2, A3, A4> ActorCall<R> task(
      Fn6<T, A0, A1, A2, A3, A4, R> method, A0 a0, A1 a1, A2 a2, A3 a3, A4 a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <A0, A1, A2, A3, A4> ActorCall<Void> task(
      VoidFn6<T, A0, A1, A2, A3, A4> method, A0 a0, A1 a1, A2 a2, A3 a3, A4 a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <R, A0, A1, A2, A3, A4> ActorCall<R> task(
      Fn6<T, A0, A1, A2, A3, A4, R> method, A0 a0, A1 a1, A2 a2, A3 a3, ObjectRef<A4> a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <A0, A1, A2, A3, A4> ActorCall<Void> task(
      VoidFn6<T, A0, A1, A2, A3, A4> method, A0 a0, A1 a1, A2 a2, A3 a3, ObjectRef<A4> a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <R, A0, A1, A2, A3, A4> ActorCall<R> task(
      Fn6<T, A0, A1, A2, A3, A4, R> method, A0 a0, A1 a1, A2 a2, ObjectRef<A3> a3, A4 a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <A0, A1, A2, A3, A4> ActorCall<Void> task(
      VoidFn6<T, A0, A1, A2, A3, A4> method, A0 a0, A1 a1, A2 a2, ObjectRef<A3> a3, A4 a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <R, A0, A1, A2, A3, A4> ActorCall<R> task(
      Fn6<T, A0, A1, A2, A3, A4, R> method,
      A0 a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <A0, A1, A2, A3, A4> ActorCall<Void> task(
      VoidFn6<T, A0, A1, A2, A3, A4> method,
      A0 a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <R, A0, A1, A2, A3, A4> ActorCall<R> task(
      Fn6<T, A0, A1, A2, A3, A4, R> method, A0 a0, A1 a1, ObjectRef<A2> a2, A3 a3, A4 a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <A0, A1, A2, A3, A4> ActorCall<Void> task(
      VoidFn6<T, A0, A1, A2, A3, A4> method, A0 a0, A1 a1, ObjectRef<A2> a2, A3 a3, A4 a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <R, A0, A1, A2, A3, A4> ActorCall<R> task(
      Fn6<T, A0, A1, A2, A3, A4, R> method,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <A0, A1, A2, A3, A4> ActorCall<Void> task(
      VoidFn6<T, A0, A1, A2, A3, A4> method,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <R, A0, A1, A2, A3, A4> ActorCall<R> task(
      Fn6<T, A0, A1, A2, A3, A4, R> method,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <A0, A1, A2, A3, A4> ActorCall<Void> task(
      VoidFn6<T, A0, A1, A2, A3, A4> method,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <R, A0, A1, A2, A3, A4> ActorCall<R> task(
      Fn6<T, A0, A1, A2, A3, A4, R> method,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <A0, A1, A2, A3, A4> ActorCall<Void> task(
      VoidFn6<T, A0, A1, A2, A3, A4> method,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <R, A0, A1, A2, A3, A4> ActorCall<R> task(
      Fn6<T, A0, A1, A2, A3, A4, R> method, A0 a0, ObjectRef<A1> a1, A2 a2, A3 a3, A4 a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <A0, A1, A2, A3, A4> ActorCall<Void> task(
      VoidFn6<T, A0, A1, A2, A3, A4> method, A0 a0, ObjectRef<A1> a1, A2 a2, A3 a3, A4 a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <R, A0, A1, A2, A3, A4> ActorCall<R> task(
      Fn6<T, A0, A1, A2, A3, A4, R> method,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <A0, A1, A2, A3, A4> ActorCall<Void> task(
      VoidFn6<T, A0, A1, A2, A3, A4> method,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <R, A0, A1, A2, A3, A4> ActorCall<R> task(
      Fn6<T, A0, A1, A2, A3, A4, R> method,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <A0, A1, A2, A3, A4> ActorCall<Void> task(
      VoidFn6<T, A0, A1, A2, A3, A4> method,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <R, A0, A1, A2, A3, A4> ActorCall<R> task(
      Fn6<T, A0, A1, A2, A3, A4, R> method,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <A0, A1, A2, A3, A4> ActorCall<Void> task(
      VoidFn6<T, A0, A1, A2, A3, A4> method,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <R, A0, A1, A2, A3, A4> ActorCall<R> task(
      Fn6<T, A0, A1, A2, A3, A4, R> method,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <A0, A1, A2, A3, A4> ActorCall<Void> task(
      VoidFn6<T, A0, A1, A2, A3, A4> method,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <R, A0, A1, A2, A3, A4> ActorCall<R> task(
      Fn6<T, A0, A1, A2, A3, A4, R> method,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <A0, A1, A2, A3, A4> ActorCall<Void> task(
      VoidFn6<T, A0, A1, A2, A3, A4> method,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <R, A0, A1, A2, A3, A4> ActorCall<R> task(
      Fn6<T, A0, A1, A2, A3, A4, R> method,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <A0, A1, A2, A3, A4> ActorCall<Void> task(
      VoidFn6<T, A0, A1, A2, A3, A4> method,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <R, A0, A1, A2, A3, A4> ActorCall<R> task(
      Fn6<T, A0, A1, A2, A3, A4, R> method,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <A0, A1, A2, A3, A4> ActorCall<Void> task(
      VoidFn6<T, A0, A1, A2, A3, A4> method,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <R, A0, A1, A2, A3, A4> ActorCall<R> task(
      Fn6<T, A0, A1, A2, A3, A4, R> method, ObjectRef<A0> a0, A1 a1, A2 a2, A3 a3, A4 a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <A0, A1, A2, A3, A4> ActorCall<Void> task(
      VoidFn6<T, A0, A1, A2, A3, A4> method, ObjectRef<A0> a0, A1 a1, A2 a2, A3 a3, A4 a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <R, A0, A1, A2, A3, A4> ActorCall<R> task(
      Fn6<T, A0, A1, A2, A3, A4, R> method,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <A0, A1, A2, A3, A4> ActorCall<Void> task(
      VoidFn6<T, A0, A1, A2, A3, A4> method,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <R, A0, A1, A2, A3, A4> ActorCall<R> task(
      Fn6<T, A0, A1, A2, A3, A4, R> method,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <A0, A1, A2, A3, A4> ActorCall<Void> task(
      VoidFn6<T, A0, A1, A2, A3, A4> method,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <R, A0, A1, A2, A3, A4> ActorCall<R> task(
      Fn6<T, A0, A1, A2, A3, A4, R> method,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <A0, A1, A2, A3, A4> ActorCall<Void> task(
      VoidFn6<T, A0, A1, A2, A3, A4> method,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <R, A0, A1, A2, A3, A4> ActorCall<R> task(
      Fn6<T, A0, A1, A2, A3, A4, R> method,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <A0, A1, A2, A3, A4> ActorCall<Void> task(
      VoidFn6<T, A0, A1, A2, A3, A4> method,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <R, A0, A1, A2, A3, A4> ActorCall<R> task(
      Fn6<T, A0, A1, A2, A3, A4, R> method,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <A0, A1, A2, A3, A4> ActorCall<Void> task(
      VoidFn6<T, A0, A1, A2, A3, A4> method,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <R, A0, A1, A2, A3, A4> ActorCall<R> task(
      Fn6<T, A0, A1, A2, A3, A4, R> method,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <A0, A1, A2, A3, A4> ActorCall<Void> task(
      VoidFn6<T, A0, A1, A2, A3, A4> method,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <R, A0, A1, A2, A3, A4> ActorCall<R> task(
      Fn6<T, A0, A1, A2, A3, A4, R> method,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <A0, A1, A2, A3, A4> ActorCall<Void> task(
      VoidFn6<T, A0, A1, A2, A3, A4> method,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <R, A0, A1, A2, A3, A4> ActorCall<R> task(
      Fn6<T, A0, A1, A2, A3, A4, R> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      A4 a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <A0, A1, A2, A3, A4> ActorCall<Void> task(
      VoidFn6<T, A0, A1, A2, A3, A4> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      A4 a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <R, A0, A1, A2, A3, A4> ActorCall<R> task(
      Fn6<T, A0, A1, A2, A3, A4, R> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <A0, A1, A2, A3, A4> ActorCall<Void> task(
      VoidFn6<T, A0, A1, A2, A3, A4> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <R, A0, A1, A2, A3, A4> ActorCall<R> task(
      Fn6<T, A0, A1, A2, A3, A4, R> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <A0, A1, A2, A3, A4> ActorCall<Void> task(
      VoidFn6<T, A0, A1, A2, A3, A4> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <R, A0, A1, A2, A3, A4> ActorCall<R> task(
      Fn6<T, A0, A1, A2, A3, A4, R> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <A0, A1, A2, A3, A4> ActorCall<Void> task(
      VoidFn6<T, A0, A1, A2, A3, A4> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <R, A0, A1, A2, A3, A4> ActorCall<R> task(
      Fn6<T, A0, A1, A2, A3, A4, R> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <A0, A1, A2, A3, A4> ActorCall<Void> task(
      VoidFn6<T, A0, A1, A2, A3, A4> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <R, A0, A1, A2, A3, A4> ActorCall<R> task(
      Fn6<T, A0, A1, A2, A3, A4, R> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <A0, A1, A2, A3, A4> ActorCall<Void> task(
      VoidFn6<T, A0, A1, A2, A3, A4> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <R, A0, A1, A2, A3, A4> ActorCall<R> task(
      Fn6<T, A0, A1, A2, A3, A4, R> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <A0, A1, A2, A3, A4> ActorCall<Void> task(
      VoidFn6<T, A0, A1, A2, A3, A4> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <R, A0, A1, A2, A3, A4> ActorCall<R> task(
      Fn6<T, A0, A1, A2, A3, A4, R> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <A0, A1, A2, A3, A4> ActorCall<Void> task(
      VoidFn6<T, A0, A1, A2, A3, A4> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method, A0 a0, A1 a1, A2 a2, A3 a3, A4 a4, A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method, A0 a0, A1 a1, A2 a2, A3 a3, A4 a4, A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      A0 a0,
      A1 a1,
      A2 a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      A0 a0,
      A1 a1,
      A2 a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      A0 a0,
      A1 a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      A0 a0,
      A1 a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      A0 a0,
      A1 a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      A0 a0,
      A1 a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      A0 a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      A0 a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      A0 a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      A0 a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      A0 a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      A0 a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      A0 a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      A0 a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      A0 a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      A4 a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      A4 a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      A0 a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      A0 a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      A3 a3,
      A4 a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      A3 a3,
      A4 a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      ObjectRef<A0> a0,
      A1 a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      ObjectRef<A0> a0,
      A1 a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      A4 a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      A4 a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      A2 a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      A3 a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      A4 a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      A5 a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <R, A0, A1, A2, A3, A4, A5> ActorCall<R> task(
      Fn7<T, A0, A1, A2, A3, A4, A5, R> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }

  default <A0, A1, A2, A3, A4, A5> ActorCall<Void> task(
      VoidFn7<T, A0, A1, A2, A3, A4, A5> method,
      ObjectRef<A0> a0,
      ObjectRef<A1> a1,
      ObjectRef<A2> a2,
      ObjectRef<A3> a3,
      ObjectRef<A4> a4,
      ObjectRef<A5> a5) {
    return new ActorCall<>(this, method, new Object[] {a0, a1, a2, a3, a4, a5});
  }
  // GENERATED-END
}
