// shapes.cpp: ray intersection for each primitive.
#include "shapes.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace rt {

namespace {

// Normals face the ray so shading works from either side of thin surfaces.
Hit makeHit(const Ray &R, double T, Vec3d Normal, const Material *M) {
  if (Normal.dot(R.Direction) > 0)
    Normal = -Normal;
  return Hit{T, R.at(T), Normal, M};
}

} // namespace

std::optional<Hit> Sphere::intersect(const Ray &R, double MinT,
                                     double MaxT) const {
  Vec3d ToOrigin = R.Origin - Centre;
  double HalfB = ToOrigin.dot(R.Direction);
  double C = ToOrigin.dot(ToOrigin) - Radius * Radius;
  double Discriminant = HalfB * HalfB - C;
  if (Discriminant < 0)
    return std::nullopt;
  double Root = std::sqrt(Discriminant);
  double T = -HalfB - Root;
  if (T <= MinT || T >= MaxT) {
    T = -HalfB + Root; // the ray starts inside the sphere
    if (T <= MinT || T >= MaxT)
      return std::nullopt;
  }
  return makeHit(R, T, (R.at(T) - Centre) * (1.0 / Radius), &Surface);
}

std::optional<Hit> Plane::intersect(const Ray &R, double MinT,
                                    double MaxT) const {
  double Denominator = Normal.dot(R.Direction);
  if (std::fabs(Denominator) < 1e-12)
    return std::nullopt;
  double T = (Offset - Normal.dot(R.Origin)) / Denominator;
  if (T <= MinT || T >= MaxT)
    return std::nullopt;
  return makeHit(R, T, Normal, &Surface);
}

// The slab method: intersect the ray's parameter interval with each axis's.
std::optional<Hit> Box::intersect(const Ray &R, double MinT,
                                  double MaxT) const {
  double Near = MinT, Far = MaxT;
  int NearAxis = -1, FarAxis = -1;
  for (int Axis = 0; Axis < 3; ++Axis) {
    double Inv = 1.0 / R.Direction[Axis];
    double T0 = (Min[Axis] - R.Origin[Axis]) * Inv;
    double T1 = (Max[Axis] - R.Origin[Axis]) * Inv;
    if (T0 > T1)
      std::swap(T0, T1);
    if (T0 > Near) {
      Near = T0;
      NearAxis = Axis;
    }
    if (T1 < Far) {
      Far = T1;
      FarAxis = Axis;
    }
    if (Near > Far)
      return std::nullopt;
  }
  // Entering the box, or leaving it when the ray starts inside.
  double T = NearAxis >= 0 ? Near : Far;
  int Axis = NearAxis >= 0 ? NearAxis : FarAxis;
  if (Axis < 0 || T <= MinT || T >= MaxT)
    return std::nullopt;
  Vec3d Normal(Axis == 0, Axis == 1, Axis == 2);
  return makeHit(R, T, Normal, &Surface);
}

// Moller-Trumbore: solve for the barycentric coordinates and distance.
std::optional<Hit> Triangle::intersect(const Ray &R, double MinT,
                                       double MaxT) const {
  Vec3d P = R.Direction.cross(EdgeAC);
  double Det = EdgeAB.dot(P);
  if (std::fabs(Det) < 1e-12)
    return std::nullopt;
  double InvDet = 1.0 / Det;
  Vec3d S = R.Origin - A;
  double U = S.dot(P) * InvDet;
  if (U < 0 || U > 1)
    return std::nullopt;
  Vec3d Q = S.cross(EdgeAB);
  double V = R.Direction.dot(Q) * InvDet;
  if (V < 0 || U + V > 1)
    return std::nullopt;
  double T = EdgeAC.dot(Q) * InvDet;
  if (T <= MinT || T >= MaxT)
    return std::nullopt;
  return makeHit(R, T, Normal, &Surface);
}

} // namespace rt
